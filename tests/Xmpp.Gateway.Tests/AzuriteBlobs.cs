namespace Xmpp.Gateway.Tests;

/// <summary>Azurite's blob service (<see cref="Azurite"/>).</summary>
public sealed class AzuriteBlobs() : Azurite("blob");
