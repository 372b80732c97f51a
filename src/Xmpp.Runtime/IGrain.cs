namespace Xmpp.Runtime;

/// <summary>Marker for grain interfaces (Orleans vocabulary).</summary>
public interface IGrain;

/// <summary>A grain addressed by a string key, such as a bare JID.</summary>
public interface IGrainWithStringKey : IGrain;

/// <summary>
/// Marker for observer interfaces: objects outside the runtime (gateway sessions) that grains push
/// to. Observer calls run on the caller's turn and must not block.
/// </summary>
public interface IGrainObserver;
