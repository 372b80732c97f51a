using System.Globalization;
using Xmpp.Bench.Micro;

namespace Xmpp.Bench.Tests;

/// <summary>
/// Each micro-benchmark allocates at most its checked-in budget per operation
/// (bench/Xmpp.Bench.Micro/allocation-budgets.json). Lower a budget when an optimisation lands;
/// raise one only with a reason in the commit message.
/// </summary>
public sealed class AllocationBudgetTests
{
    private static readonly Dictionary<string, int> Budgets =
        Benchmarks.LoadBudgets(Path.Combine(AppContext.BaseDirectory, "allocation-budgets.json"));

    public static TheoryData<string> Names() => new(Benchmarks.All.Select(b => b.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Benchmark_stays_within_its_allocation_budget(string name)
    {
        var (_, create, operations) = Benchmarks.All.Single(b => b.Name == name);
        await using var benchmark = create();
        var measurement = await Measurement.RunAsync(benchmark, operations);

        Assert.Equal(name, measurement.Name);
        Assert.True(Budgets.TryGetValue(name, out var budget), $"{name} has no entry in allocation-budgets.json");
        Assert.True(
            measurement.BytesAllocatedPerOperation <= budget,
            string.Create(CultureInfo.InvariantCulture, $"{name} allocates {measurement.BytesAllocatedPerOperation:N1} B per stanza; its budget is {budget} B"));
    }

    [Fact]
    public void Every_budget_belongs_to_a_benchmark() =>
        Assert.Empty(Budgets.Keys.Except(Benchmarks.All.Select(b => b.Name)));
}
