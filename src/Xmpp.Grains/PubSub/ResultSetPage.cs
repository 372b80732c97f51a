using System.Globalization;

namespace Xmpp.Grains.PubSub;

/// <summary>
/// One page of an in-memory list by Result Set Management (XEP-0059): <c>max</c>, <c>after</c>,
/// <c>before</c> (empty for the last page) and <c>index</c>, answered with first, last and count.
/// </summary>
internal sealed class ResultSetPage<T>
{
    private ResultSetPage(List<T> items, int firstIndex, int count, Func<T, string> idOf)
    {
        Items = items;
        _firstIndex = firstIndex;
        _count = count;
        _idOf = idOf;
    }

    private readonly int _firstIndex;
    private readonly int _count;
    private readonly Func<T, string> _idOf;

    public IReadOnlyList<T> Items { get; }

    public Element ToElement()
    {
        var set = new Element("set", Namespaces.Rsm);
        if (Items.Count > 0)
        {
            set.AddChild("first", Namespaces.Rsm).SetAttribute("index", _firstIndex.ToString(CultureInfo.InvariantCulture)).AddText(_idOf(Items[0]));
            set.AddTextChild("last", Namespaces.Rsm, _idOf(Items[^1]));
        }

        set.AddTextChild("count", Namespaces.Rsm, _count.ToString(CultureInfo.InvariantCulture));
        return set;
    }

    /// <summary>The page <paramref name="set"/> asks for; item-not-found for an unknown after/before id (§2.6).</summary>
    public static ResultSetPage<T> Of(IReadOnlyList<T> all, Element set, Func<T, string> idOf)
    {
        var max = int.TryParse(set.ChildText("max", Namespaces.Rsm), NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : all.Count;
        int start;
        if (set.ChildText("after", Namespaces.Rsm) is { Length: > 0 } after)
        {
            start = IndexOf(all, after, idOf) + 1;
        }
        else if (set.Child("before", Namespaces.Rsm) is { } before)
        {
            var end = string.IsNullOrEmpty(before.Text) ? all.Count : IndexOf(all, before.Text, idOf);
            start = Math.Max(0, end - max);
            max = Math.Min(max, end - start);
        }
        else
        {
            start = int.TryParse(set.ChildText("index", Namespaces.Rsm), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : 0;
        }

        start = Math.Min(start, all.Count);
        var items = all.Skip(start).Take(max).ToList();
        return new ResultSetPage<T>(items, start, all.Count, idOf);
    }

    private static int IndexOf(IReadOnlyList<T> all, string id, Func<T, string> idOf)
    {
        for (var i = 0; i < all.Count; i++)
        {
            if (idOf(all[i]) == id)
            {
                return i;
            }
        }

        throw new StanzaErrorException(StanzaError.ItemNotFound("No such item in the result set"));
    }
}

internal static class ResultSetPage
{
    public static ResultSetPage<T> Of<T>(IReadOnlyList<T> all, Element set, Func<T, string> idOf) => ResultSetPage<T>.Of(all, set, idOf);
}
