namespace Xmpp.Storage;

/// <summary>
/// A client of a storage container (an Azure table, a blob container) that is created, if missing,
/// before its first use; a creation that failed is tried again on the next use (<see cref="OnceSucceeded{T}"/>).
/// </summary>
public class CreatedOnFirstUse<TClient>(TClient client, Func<TClient, Task> create)
{
    private readonly OnceSucceeded<TClient> _created = new(async () =>
    {
        await create(client).ConfigureAwait(false);
        return client;
    });

    public ValueTask<TClient> GetAsync() => new(_created.GetAsync());
}
