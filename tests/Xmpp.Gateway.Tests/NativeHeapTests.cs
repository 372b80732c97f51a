using System.Runtime.InteropServices;
using Xmpp.Server.Memory;

namespace Xmpp.Gateway.Tests;

/// <summary>
/// The idle trim gives the C library's free memory back as well as the collector's. Run alone:
/// another test's trim between the frees and this one's would leave nothing to release.
/// </summary>
[Collection(nameof(MemorySensitive))]
public sealed class NativeHeapTests
{
    [Fact]
    public void Freed_native_memory_below_a_live_block_is_released()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.False(NativeHeap.Trim()); // no glibc: nothing to call
            return;
        }

        var blocks = new nint[8192];
        for (var i = 0; i < blocks.Length; i++)
        {
            blocks[i] = Marshal.AllocHGlobal(1024); // malloc, well below the size glibc maps separately
        }

        // Allocated last, so it sits above the freed blocks: free() alone cannot shrink the heap
        // past it, only malloc_trim hands the pages below it back.
        var live = Marshal.AllocHGlobal(1024);
        try
        {
            foreach (var block in blocks)
            {
                Marshal.FreeHGlobal(block);
            }

            Assert.True(NativeHeap.Trim(), "8 MiB freed below a live block, and malloc_trim released nothing");
        }
        finally
        {
            Marshal.FreeHGlobal(live);
        }
    }
}
