namespace Xmpp.Grains.Routing;

/// <summary>
/// Holds back the first calls of the ordered deliveries that start on this thread until the scope
/// ends, so that they see everything the scope queued: what a grain turn sends to the accounts of
/// one other silo then leaves in one relay call (<see cref="UserRelaySender"/>), deterministically,
/// instead of in as many calls as pool threads happened to pick up the first entries meanwhile.
/// </summary>
public static class DeliveryStarts
{
    // Non-null while a scope holds; the lists are reused (a turn that routes holds once).
    [ThreadStatic]
    private static List<IHeld>? t_held;

    // Two spares: a scope that starts deliveries in rounds uses two lists at once.
    [ThreadStatic]
    private static List<IHeld>? t_spare;

    [ThreadStatic]
    private static List<IHeld>? t_spare2;

    /// <summary>An ordered delivery whose start can wait.</summary>
    public interface IHeld
    {
        /// <summary>Starts now, not held again.</summary>
        void Start();
    }

    /// <summary>Holds starts until the returned scope is disposed; nested scopes leave it to the outer one.</summary>
    public static Scope Hold()
    {
        if (t_held is not null)
        {
            return default;
        }

        t_held = TakeList();
        return new Scope(true);
    }

    internal static bool TryHold(IHeld delivery)
    {
        if (t_held is not { } held)
        {
            return false;
        }

        held.Add(delivery);
        return true;
    }

    private static List<IHeld> TakeList()
    {
        if (t_spare is { } spare)
        {
            t_spare = null;
            return spare;
        }

        if (t_spare2 is { } spare2)
        {
            t_spare2 = null;
            return spare2;
        }

        return [];
    }

    private static void ReturnList(List<IHeld> list)
    {
        list.Clear();
        if (t_spare is null)
        {
            t_spare = list;
        }
        else
        {
            t_spare2 = list;
        }
    }

    public readonly struct Scope(bool outermost) : IDisposable
    {
        public void Dispose()
        {
            if (!outermost)
            {
                return;
            }

            // Starting one may start others (an account's delivery handing its batch to a relay's
            // delivery): those are held in turn, and start once every one before them has queued.
            var held = t_held!;
            while (held.Count > 0)
            {
                t_held = TakeList();
                foreach (var delivery in held)
                {
                    delivery.Start();
                }

                ReturnList(held);
                held = t_held;
            }

            t_held = null;
            ReturnList(held);
        }
    }
}
