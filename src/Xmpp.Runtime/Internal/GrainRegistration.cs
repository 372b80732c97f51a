namespace Xmpp.Runtime.Internal;

/// <summary>One AddGrain call, collected from DI by the runtime.</summary>
internal sealed record GrainRegistration(Type InterfaceType, Type ClassType, string GrainTypeName);
