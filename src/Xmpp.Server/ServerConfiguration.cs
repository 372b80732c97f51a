using Microsoft.Extensions.Configuration;

namespace Xmpp.Server;

/// <summary>
/// Builds the configuration in its documented layers (later wins): <c>appsettings.json</c> next to
/// the executable, <c>appsettings.{Environment}.json</c>, the <c>--config FILE</c> JSON file,
/// environment variables (<c>Xmpp__Domain=…</c>), then the command line (<c>--c2s-port N</c>,
/// <c>--ws-port N</c>, or any key as <c>--Section:Key=value</c>).
/// </summary>
internal static class ServerConfiguration
{
    public const string DataDirectoryKey = "DataDirectory";
    public const string StorageProviderKey = "Storage:Provider";
    public const string StoragePathKey = "Storage:Path";

    private static readonly Dictionary<string, string> SwitchMappings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["--config"] = "Server:ConfigFile",
        ["--c2s-port"] = "Gateway:C2sPort",
        ["--ws-port"] = "Gateway:WebSocketPort",
        ["--management-port"] = "Management:Port",
    };

    /// <summary>The top-level keys and sections settings can be given for; anything else on the command line is a mistake.</summary>
    private static readonly HashSet<string> KnownSections = new(StringComparer.OrdinalIgnoreCase)
    {
        DataDirectoryKey, "Storage", "Orleans", "Xmpp", "Gateway", "Logging", "Memory", "Management", "Server",
    };

    public static void Apply(IConfigurationManager configuration, string[] args, string environmentName)
    {
        RejectUnknownOptions(args);
        var configFile = FindOption(args, "--config");
        configuration.Sources.Clear();
        configuration.SetBasePath(AppContext.BaseDirectory);
        configuration.AddJsonFile("appsettings.json", optional: true, reloadOnChange: false);
        configuration.AddJsonFile($"appsettings.{environmentName}.json", optional: true, reloadOnChange: false);
        if (configFile is not null)
        {
            var path = Path.GetFullPath(configFile);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"The configuration file {path} does not exist.", path);
            }

            configuration.AddJsonFile(path, optional: false, reloadOnChange: false);
        }

        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine(args, SwitchMappings);
    }

    /// <summary>
    /// A misspelt switch (<c>--c2s-prot</c>) or section (<c>--Xmpp:Domian=…</c>'s section is right,
    /// <c>--Xmp:Domain=…</c>'s is not) would otherwise be ignored and the server start with what
    /// the operator meant to change: each argument must be a known switch or
    /// <c>--Section:Key=value</c> / <c>--Section:Key value</c> of a known section.
    /// </summary>
    private static void RejectUnknownOptions(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var key = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : arg.StartsWith('/') ? arg[1..] : null;
            var separator = key?.IndexOf('=', StringComparison.Ordinal) ?? -1;
            var name = separator >= 0 ? key![..separator] : key;
            if (name is null || !(SwitchMappings.ContainsKey("--" + name) || KnownSections.Contains(name.Split(':')[0])))
            {
                throw new ArgumentException($"Unknown option {arg} (see --help)");
            }

            if (separator < 0)
            {
                i++; // "--name value": the next argument is the value
            }
        }
    }

    /// <summary>The host environment (DOTNET_ENVIRONMENT, else ASPNETCORE_ENVIRONMENT, else Production).</summary>
    public static string EnvironmentName() =>
        Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
        ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
        ?? "Production";

    /// <summary>The data folder (certificate, SQLite database), relative to the working directory.</summary>
    public static string DataDirectory(IConfiguration configuration) =>
        Path.GetFullPath(configuration[DataDirectoryKey] is { Length: > 0 } dir ? dir : "data");

    /// <summary>The value of <c>--name value</c> or <c>--name=value</c>, if present.</summary>
    internal static string? FindOption(string[] args, string name)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (string.Equals(args[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{name} needs a value.");
            }

            if (args[i].StartsWith(name + "=", StringComparison.OrdinalIgnoreCase))
            {
                return args[i][(name.Length + 1)..];
            }
        }

        return null;
    }
}
