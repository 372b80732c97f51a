using System.Text.Json;

namespace Xmpp.Deploy.Tests;

/// <summary>
/// Every Bicep file under infra/ compiles and passes the linter (infra/bicepconfig.json) without a
/// single warning, offline: no registry modules, types from the CLI itself.
/// </summary>
public sealed class BicepTests
{
    public static TheoryData<string> BicepFiles() => new(Files());

    /// <summary>Relative to infra/, where bicepconfig.json is.</summary>
    private static IEnumerable<string> Files() =>
        Directory.EnumerateFiles(Repository.Infra, "*.bicep", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(Repository.Infra, file))
            .Order(StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public async Task Compiles_without_a_diagnostic(string file)
    {
        var (exitCode, template, diagnostics) = await BicepCli.RunAsync("build", "--stdout", file);

        Assert.True(exitCode == 0 && diagnostics.Length == 0, $"bicep build {file} exited {exitCode}:\n{diagnostics}");
        using var json = JsonDocument.Parse(template); // an ARM template, what Azure deploys
        Assert.True(json.RootElement.TryGetProperty("resources", out _), $"bicep build {file} wrote no template:\n{template}");
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public async Task Passes_the_linter_without_a_warning(string file)
    {
        var (exitCode, output, errors) = await BicepCli.RunAsync("lint", file);

        var findings = (output + errors).Trim();
        Assert.True(exitCode == 0 && findings.Length == 0, $"bicep lint {file} exited {exitCode}:\n{findings}");
    }

    [Fact]
    public void Every_bicep_file_is_checked()
    {
        var files = Files().ToList();

        Assert.Contains("main.bicep", files);
        Assert.Contains(files, f => f.StartsWith("modules" + Path.DirectorySeparatorChar, StringComparison.Ordinal));
    }

    /// <summary>azd fills main.bicep's parameters from main.parameters.json: a name there that main.bicep lacks is a typo that fails the deployment.</summary>
    [Fact]
    public async Task The_parameters_file_names_only_parameters_of_main_bicep()
    {
        var (exitCode, template, diagnostics) = await BicepCli.RunAsync("build", "--stdout", "main.bicep");
        Assert.True(exitCode == 0, diagnostics);
        using var compiled = JsonDocument.Parse(template);
        var declared = compiled.RootElement.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var required = compiled.RootElement.GetProperty("parameters").EnumerateObject()
            .Where(p => !p.Value.TryGetProperty("defaultValue", out _)).Select(p => p.Name);

        using var parameters = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Repository.Infra, "main.parameters.json")));
        var given = parameters.RootElement.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToList();

        Assert.All(given, name => Assert.Contains(name, declared));
        Assert.All(required, name => Assert.Contains(name, given));
    }
}
