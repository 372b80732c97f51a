using System.Runtime.InteropServices;

namespace Xmpp.Server.Memory;

/// <summary>
/// The C library's heap (glibc's malloc), which SQLite, OpenSSL, the JIT and the runtime use. glibc
/// gives threads arenas of their own and keeps what an arena once held until asked to give it
/// back: after a login burst (threads added by the thread pool, JIT scratch memory, SQLite
/// statements) about 4 MB of free native memory stayed with the process, a third of the idle
/// per-session figure's first thousand sessions (bench/findings.md, "Idle memory").
/// </summary>
internal static class NativeHeap
{
    /// <summary>
    /// Returns the free memory of every arena to the OS (glibc's <c>malloc_trim</c>): the idle
    /// trim's counterpart of the collector's aggressive collection. False where there is no glibc
    /// (Windows, macOS, musl).
    /// </summary>
    public static bool Trim()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return malloc_trim(0) == 1;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);
}
