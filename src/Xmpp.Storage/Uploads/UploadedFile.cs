namespace Xmpp.Storage.Uploads;

/// <summary>
/// What is kept with an uploaded file: its slot (<see cref="UploadSlotId"/>), the file name and
/// content type the slot was requested with, its size and when it was uploaded.
/// </summary>
public sealed record UploadedFile(string Slot, string FileName, string ContentType, long Size, DateTimeOffset Uploaded);
