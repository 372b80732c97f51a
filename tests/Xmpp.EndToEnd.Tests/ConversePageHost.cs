using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace Xmpp.EndToEnd.Tests;

/// <summary>
/// The web site a user opens: the test's page (Converse/ beside the test) at the root, Converse's
/// dist/ under /dist/, on an ephemeral loopback port. Over HTTP rather than file://, because
/// Converse loads its OMEMO library and WebAssembly as modules, which Chromium refuses from files.
/// The page posts its report to /report.
/// </summary>
internal sealed class ConversePageHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource<string> _report = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ConversePageHost(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<ConversePageHost> StartAsync(string pageDirectory, string distDirectory)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var host = new ConversePageHost(app);
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(pageDirectory) });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(distDirectory), RequestPath = "/dist" });
        app.MapPost("/report", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            host._report.TrySetResult(await reader.ReadToEndAsync());
            return Results.NoContent();
        });

        await app.StartAsync();
        host.BaseUrl = new Uri(app.Urls.Single()); // the port Kestrel bound

        return host;
    }

    /// <summary>The JSON the page posted, or a <see cref="TimeoutException"/>.</summary>
    public Task<string> ReportAsync(TimeSpan timeout) => _report.Task.WaitAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
