using System.Diagnostics;
using System.Reflection;

namespace Xmpp.Protocol.Tests;

/// <summary>The generated stringprep tables are what their generator writes from Python's Unicode 3.2 data.</summary>
public class StringprepTablesTests
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public async Task The_checked_in_tables_are_what_the_generator_writes()
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: run ./test.sh, which installs it");
        var folder = Path.Combine(RepositoryRoot(), "src", "Xmpp.Protocol", "Stringprep");
        var output = Path.Combine(Path.GetTempPath(), $"stringprep-{Guid.NewGuid():N}.cs");
        try
        {
            using var generator = Process.Start(new ProcessStartInfo(Python, [Path.Combine(folder, "generate_tables.py"), output]) { RedirectStandardError = true })!;
            var errors = await generator.StandardError.ReadToEndAsync();
            await generator.WaitForExitAsync();
            Assert.True(generator.ExitCode == 0, errors);
            Assert.Equal(await File.ReadAllTextAsync(output), await File.ReadAllTextAsync(Path.Combine(folder, "StringprepTables.g.cs")));
        }
        finally
        {
            File.Delete(output);
        }
    }

    private static string RepositoryRoot() =>
        typeof(StringprepTablesTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
}
