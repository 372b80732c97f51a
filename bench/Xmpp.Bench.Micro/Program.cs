using System.Globalization;
using Xmpp.Bench.Micro;

// dotnet run -c Release --project bench/Xmpp.Bench.Micro [--scale N]
// Prints throughput and bytes allocated per stanza next to the checked-in budget.
var scale = args.Length == 2 && args[0] == "--scale" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
var budgets = Benchmarks.LoadBudgets(Path.Combine(AppContext.BaseDirectory, "allocation-budgets.json"));
Console.WriteLine($"{"benchmark",-22} {"ops",9} {"ops/s",12} {"MB/s",9} {"B/op",9} {"budget",8}");
var failed = false;
foreach (var (_, create, operations) in Benchmarks.All)
{
    await using var benchmark = create();
    var m = await Measurement.RunAsync(benchmark, operations * scale);
    var budget = budgets.TryGetValue(m.Name, out var b) ? b.ToString(CultureInfo.InvariantCulture) : "none";
    failed |= !budgets.TryGetValue(m.Name, out b) || m.BytesAllocatedPerOperation > b;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{m.Name,-22} {m.Operations,9} {m.OperationsPerSecond,12:N0} {m.MegabytesPerSecond,9:N1} {m.BytesAllocatedPerOperation,9:N1} {budget,8}"));
}

return failed ? 1 : 0;
