namespace Xmpp.EndToEnd.Tests;

/// <summary>
/// Where test.sh installed the browser client: Converse.js from npm (its dist/ folder is what a
/// site serves) and Debian's Chromium. CONVERSE_JS_DIR and CHROMIUM override the defaults.
/// </summary>
internal static class ConverseInstallation
{
    /// <summary>The version test.sh installs; keep the two in step.</summary>
    public const string Version = "14.0.0";

    private const string InstallHint = "run ./test.sh, which installs chromium (Debian) and converse.js (npm)";

    /// <summary>The npm prefix test.sh installs into: a cache folder outside the repository.</summary>
    private static string NpmPrefix =>
        Environment.GetEnvironmentVariable("CONVERSE_JS_DIR") is { Length: > 0 } configured
            ? configured
            : Path.Combine(
                Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } cache
                    ? cache
                    : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
                "orleans-xmpp",
                "converse.js-" + Version);

    public static string DistDirectory
    {
        get
        {
            var dist = Path.Combine(NpmPrefix, "node_modules", "converse.js", "dist");
            Assert.True(File.Exists(Path.Combine(dist, "converse.min.js")), $"Converse.js is not in {dist}: {InstallHint}");
            return dist;
        }
    }

    public static string Chromium
    {
        get
        {
            var chromium = Environment.GetEnvironmentVariable("CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
            Assert.True(File.Exists(chromium), $"{chromium} is missing: {InstallHint}");
            return chromium;
        }
    }
}
