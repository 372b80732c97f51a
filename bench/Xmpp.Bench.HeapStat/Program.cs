using System.Globalization;
using Microsoft.Diagnostics.Runtime;

// heapstat PID [--top N] [--holders TYPE]
//   Suspends PID, walks every object reachable from the roots and prints the live bytes and count
//   per type (largest first). Two runs, before and after opening N sessions, divided by N give
//   the live heap per session. --holders TYPE prints, for the live instances of TYPE, the chain
//   of types that holds them (first path found), grouped: where the bytes of a type come from.
if (args.Length == 0 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out var pid))
{
    Console.Error.WriteLine("usage: heapstat PID [--top N] [--holders TYPE]");
    return 2;
}

var top = Option("--top") is { } t ? int.Parse(t, CultureInfo.InvariantCulture) : 60;
var holdersOf = Option("--holders");

using var target = DataTarget.AttachToProcess(pid, suspend: true);
var heap = target.ClrVersions[0].CreateRuntime().Heap;

// Mark from the roots; remember who first reached each object.
var holder = new Dictionary<ulong, ulong>();
var live = new List<ClrObject>();
var stack = new Stack<ClrObject>();
foreach (var root in heap.EnumerateRoots())
{
    if (root.Object.IsValid && holder.TryAdd(root.Object.Address, 0))
    {
        stack.Push(root.Object);
    }
}

while (stack.Count > 0)
{
    var obj = stack.Pop();
    live.Add(obj);
    foreach (var reference in obj.EnumerateReferences(carefully: false, considerDependantHandles: true))
    {
        if (reference.IsValid && holder.TryAdd(reference.Address, obj.Address))
        {
            stack.Push(reference);
        }
    }
}

Console.WriteLine($"live {live.Sum(o => (long)o.Size):N0} bytes in {live.Count:N0} objects");
if (holdersOf is null)
{
    foreach (var type in live.GroupBy(o => o.Type?.Name ?? "?").Select(g => (Name: g.Key, Bytes: g.Sum(o => (long)o.Size), Count: g.Count()))
        .OrderByDescending(g => g.Bytes).Take(top))
    {
        Console.WriteLine($"{type.Bytes,12:N0} {type.Count,9:N0}  {type.Name}");
    }

    return 0;
}

foreach (var chain in live.Where(o => o.Type?.Name == holdersOf).Select(HolderChain)
    .GroupBy(c => c).OrderByDescending(g => g.Count()).Take(top))
{
    Console.WriteLine($"{chain.Count(),9:N0}  {chain.Key}");
}

return 0;

string HolderChain(ClrObject obj)
{
    var names = new List<string>();
    var address = obj.Address;
    for (var i = 0; i < 4 && holder.TryGetValue(address, out var parent) && parent != 0; i++)
    {
        names.Add(heap.GetObject(parent).Type?.Name ?? "?");
        address = parent;
    }

    return string.Join(" <- ", names);
}

string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
