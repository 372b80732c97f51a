namespace Xmpp.Grains.Users;

/// <summary>
/// Push notifications (XEP-0357; section "Xmpp:Push"), with Prosody's mod_cloud_notify defaults:
/// a notification says only that something arrived, since it passes through the app server and
/// the phone vendor's push service.
/// </summary>
public sealed class PushOptions
{
    /// <summary>App servers an account keeps; enabling one more drops the oldest (push_max_devices).</summary>
    public int MaxDevices { get; set; } = 5;

    /// <summary>Whether the notification names the sender (push_notification_with_sender).</summary>
    public bool IncludeSender { get; set; }

    /// <summary>Whether the notification carries the message's body (push_notification_with_body).</summary>
    public bool IncludeBody { get; set; }

    /// <summary>
    /// The body a notification of an important message (a body, an encrypted payload, a call)
    /// carries instead of the real one, so that iOS apps show it (push_notification_important_body).
    /// </summary>
    public string ImportantBody { get; set; } = "New Message!";

    /// <summary>
    /// Errors (other than <c>wait</c>) from an app server after which its registration is dropped.
    /// One: an app server that refuses a notification has forgotten the device (Prosody tolerates 16).
    /// </summary>
    public int MaxErrors { get; set; } = 1;
}
