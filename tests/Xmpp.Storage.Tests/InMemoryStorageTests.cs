using Orleans.Storage;

namespace Xmpp.Storage.Tests;

public sealed class InMemoryStateStoreTests : StateStoreContract
{
    protected override IStateStore Storage { get; } = new InMemoryStateStore();
}

public sealed class InMemoryAccountStoreTests : AccountStoreContract
{
    protected override IAccountStore Accounts { get; } = new InMemoryAccountStore();
}
