using System.Reflection;

namespace Xmpp.Scansion.Running;

/// <summary>
/// Where the scripts are: <c>spec/scansion/*.scs</c> in the repository and, when it exists,
/// <c>../shared/scansion/*.scs</c> beside the repository; a script in both is taken from
/// spec/scansion. The repository root is the folder holding <c>Orleans.Xmpp.sln</c>, found by
/// walking up from the test binaries (or, when they are built outside the tree with an artifacts
/// path, from this project's folder recorded at build time).
/// </summary>
public sealed class ScriptCatalog
{
    public const string SolutionFile = "Orleans.Xmpp.sln";
    public const string KnownFailingFile = "known-failing.txt";

    private static readonly Lazy<ScriptCatalog> LazyDefault = new(() => new ScriptCatalog(FindRepositoryRoot()));

    public ScriptCatalog(string repositoryRoot)
    {
        ArgumentNullException.ThrowIfNull(repositoryRoot);
        RepositoryRoot = repositoryRoot;
        SpecDirectory = Path.Combine(repositoryRoot, "spec", "scansion");
        SharedDirectory = Path.GetFullPath(Path.Combine(repositoryRoot, "..", "shared", "scansion"));

        var scripts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var directory in new[] { SpecDirectory, SharedDirectory })
        {
            if (!Directory.Exists(directory))
            {
                continue;
            }

            foreach (var path in Directory.EnumerateFiles(directory, "*.scs"))
            {
                scripts.TryAdd(Path.GetFileName(path), path); // spec/scansion comes first and wins
            }
        }

        Scripts = scripts;
    }

    public static ScriptCatalog Default => LazyDefault.Value;

    public string RepositoryRoot { get; }

    public string SpecDirectory { get; }

    public string SharedDirectory { get; }

    /// <summary>Script file name → path, by name.</summary>
    public IReadOnlyDictionary<string, string> Scripts { get; }

    public string KnownFailingPath => Path.Combine(SpecDirectory, KnownFailingFile);

    public string ConformanceConfigPath => Path.Combine(SpecDirectory, "conformance.json");

    public static string FindRepositoryRoot()
    {
        var starts = new List<string> { AppContext.BaseDirectory };
        var recorded = typeof(ScriptCatalog).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "ScansionProjectDirectory")?.Value;
        if (!string.IsNullOrEmpty(recorded))
        {
            starts.Add(recorded);
        }

        foreach (var start in starts)
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
                {
                    return directory.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException($"No {SolutionFile} above {string.Join(" or ", starts)}");
    }
}
