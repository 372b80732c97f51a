using Xmpp.Runtime.Storage;

namespace Xmpp.Runtime.Tests.Storage;

public sealed class InMemoryGrainStorageTests : GrainStorageContract
{
    protected override IGrainStorage Storage { get; } = new InMemoryGrainStorage();
}

public sealed class InMemoryAccountStoreTests : AccountStoreContract
{
    protected override IAccountStore Accounts { get; } = new InMemoryAccountStore();
}
