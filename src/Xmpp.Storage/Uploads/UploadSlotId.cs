using System.Security.Cryptography;

namespace Xmpp.Storage.Uploads;

/// <summary>
/// Slot ids: 128 random bits as 32 lowercase hex digits. Long and random so that nobody can guess
/// another's URL (XEP-0363 §8), and safe as a file or blob name: a path from a request is used
/// only once it passes <see cref="IsWellFormed"/>, never the client's file name.
/// </summary>
public static class UploadSlotId
{
    private const int Length = 32;

    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(Length / 2));

    public static bool IsWellFormed(string? slot) =>
        slot is { Length: Length } && slot.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    /// <summary>Refuses a slot id that is not one, before it reaches a path or a blob name.</summary>
    public static void Check(string slot)
    {
        if (!IsWellFormed(slot))
        {
            throw new ArgumentException($"'{slot}' is not an upload slot id", nameof(slot));
        }
    }
}
