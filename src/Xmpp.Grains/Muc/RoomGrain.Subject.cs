using Xmpp.Grains.Muc.State;

namespace Xmpp.Grains.Muc;

// The room subject (XEP-0045 §7.2.16, §8.1), as Prosody's subject.lib.
public sealed partial class RoomGrain
{
    /// <summary>The subject message for a joining session (§7.2.16): always sent, empty when there is none.</summary>
    private void SendSubject(string to)
    {
        var subject = _state.State.Subject;
        var message = SubjectMessage(subject?.From ?? _jid, subject?.Text);
        message.To = to;
        if (subject is not null)
        {
            message.Add(Delay.Create(_jid, subject.Time));
        }

        Send(message);
    }

    private static Element SubjectMessage(string from, string? text)
    {
        var message = new Element(Stanza.Message) { From = from, Type = "groupchat" };
        message.AddTextChild("subject", Namespaces.Client, text ?? string.Empty);
        return message;
    }

    /// <summary>§8.1: a new subject is broadcast as a message carrying only the subject.</summary>
    private async Task SetSubjectAsync(string from, string text)
    {
        var subject = text.Length == 0 ? null : text;
        var current = _state.State.Subject;
        var currentText = string.IsNullOrEmpty(current?.Text) ? null : current.Text;
        if (currentText == subject && (current?.From ?? _jid) == from)
        {
            return;
        }

        _state.State.Subject = subject is null && from == _jid ? null : new SubjectState { Text = subject ?? string.Empty, From = from, Time = Now };
        await SaveIfPersistentAsync();
        BroadcastMessage(SubjectMessage(from, subject));
    }
}
