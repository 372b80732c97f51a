using Xunit.Abstractions;

namespace Xmpp.Scansion;

/// <summary>
/// Every script again, each against a fresh cluster of two real server processes on a fresh
/// Azurite (Azure Storage clustering, Azure Tables storage), clients spread over both: the
/// deployment an operator runs, where the in-process cluster shares one store object.
/// </summary>
[Collection(ScansionCollection.Name)]
public sealed class ScansionOnProcessesTests(ITestOutputHelper output) : ScriptTheory(output, processes: true);
