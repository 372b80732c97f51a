namespace Xmpp.Gateway.Tests;

/// <summary>Clustering and storage settings that cannot work are refused before anything starts, naming the setting.</summary>
public sealed class ClusterSettingsTests
{
    [Theory]
    [InlineData("--Orleans:Clustering:Provider=Consul", "Unknown Orleans:Clustering:Provider 'Consul' (expected Localhost, AzureStorage or Redis).")]
    [InlineData("--Orleans:Clustering:Provider=Redis", "Orleans:Clustering:ConnectionString is required with Orleans:Clustering:Provider=Redis.")]
    [InlineData("--Orleans:Clustering:Provider=Redis --Orleans:Clustering:ServiceUri=https://example.table.core.windows.net", "Orleans:Clustering:ServiceUri is for AzureStorage clustering; Redis takes Orleans:Clustering:ConnectionString.")]
    [InlineData("--Orleans:Clustering:Provider=AzureStorage", "Orleans:Clustering:ConnectionString or Orleans:Clustering:ServiceUri is required with Orleans:Clustering:Provider=AzureStorage.")]
    [InlineData("--Orleans:Clustering:Provider=AzureStorage --Orleans:Clustering:ConnectionString=UseDevelopmentStorage=true --Orleans:Clustering:ServiceUri=https://example.table.core.windows.net", "Orleans:Clustering:ConnectionString and Orleans:Clustering:ServiceUri are both set: give one")]
    [InlineData("--Orleans:Clustering:Provider=AzureStorage --Orleans:Clustering:ServiceUri=example.table.core.windows.net", "Orleans:Clustering:ServiceUri 'example.table.core.windows.net' is not an absolute https URI")]
    [InlineData("--Orleans:Clustering:Provider=Redis --Orleans:Clustering:ConnectionString=127.0.0.1:6379,flavour=vanilla", "Orleans:Clustering:ConnectionString is not a Redis configuration string:")]
    [InlineData("--Orleans:Clustering:Provider=AzureStorage --Orleans:Clustering:ConnectionString=nonsense", "Orleans:Clustering:ConnectionString is not an Azure Storage connection string:")]
    [InlineData("--Storage:Provider=AzureTables", "Storage:ConnectionString or Storage:ServiceUri is required with Storage:Provider=AzureTables.")]
    [InlineData("--Storage:Provider=AzureTables --Storage:ConnectionString=UseDevelopmentStorage=true --Storage:ServiceUri=https://example.table.core.windows.net", "Storage:ConnectionString and Storage:ServiceUri are both set: give one")]
    [InlineData("--Storage:Provider=AzureTables --Storage:ServiceUri=http://example.table.core.windows.net", "Storage:ServiceUri 'http://example.table.core.windows.net' is not an absolute https URI")]
    [InlineData("--Storage:Provider=AzureTables --Storage:ConnectionString=nonsense", "Storage:ConnectionString is not an Azure Storage connection string:")]
    public async Task A_setting_that_cannot_work_is_named(string arguments, string message)
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => TestServer.StartAsync(arguments.Split(' ')));
        Assert.StartsWith(message, refused.Message, StringComparison.Ordinal);
    }
}
