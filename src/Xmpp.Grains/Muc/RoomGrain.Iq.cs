using System.Security.Cryptography;
using System.Text;

namespace Xmpp.Grains.Muc;

// IQs to the room (disco, admin, owner, registration) and to occupants (XEP-0045 §7.7 private
// IQ, XEP-0410 self-ping), as Prosody routes them.
public sealed partial class RoomGrain
{
    private async Task HandleIqToRoomAsync(Element iq, Jid from)
    {
        var payload = iq.FirstElement();
        if (!Stanza.IsIqRequest(iq) || payload is null)
        {
            Unhandled(iq);
            return;
        }

        var actor = from.ToString();
        var get = iq.Type == "get";
        switch (payload.Namespace, payload.Name)
        {
            case (Namespaces.DiscoInfo, "query") when get:
                SendResult(iq, DiscoInfo(payload, actor));
                break;
            case (Namespaces.DiscoItems, "query") when get:
                SendResult(iq, new Element("query", Namespaces.DiscoItems));
                break;
            case (Namespaces.MucAdmin, "query"):
                if (get)
                {
                    HandleAdminGet(iq, actor, payload);
                }
                else
                {
                    await HandleAdminSetAsync(iq, actor, payload);
                }

                break;
            case (Namespaces.MucOwner, "query"):
                await HandleOwnerAsync(iq, actor, payload);
                break;
            case (Namespaces.Register, "query"):
                await HandleRegisterAsync(iq, actor, payload);
                break;
            case (Namespaces.Mam, "query" or "metadata"):
                await HandleArchiveRequestAsync(iq, actor, payload);
                break;
            default:
                Unhandled(iq);
                break;
        }
    }

    /// <summary>
    /// §7.7: an IQ between occupants goes through the room, from the sender's occupant JID, with
    /// an id that lets the answer find its way back (Prosody's construct_stanza_id); vCard and
    /// pubsub requests go to the bare real JID. A ping to oneself is answered by the room (XEP-0410).
    /// </summary>
    private void HandleIqToOccupant(Element iq, Jid from)
    {
        var realJid = from.ToString();
        var to = iq.To!;
        _occupants.TryGetValue(to, out var target);
        if (iq.Type is "result" or "error")
        {
            if (target is null || !TryDecodeIqId(iq.Id, out var responderJid, out var originalId, out var hash))
            {
                return;
            }

            if (realJid != responderJid && realJid != BareOf(responderJid))
            {
                return;
            }

            if (!_jidNick.TryGetValue(responderJid, out var responderNick))
            {
                return;
            }

            var session = target.Sessions.Keys.FirstOrDefault(jid => SessionHash(jid) == hash);
            if (session is null)
            {
                return;
            }

            var answer = iq.Clone();
            answer.From = responderNick;
            answer.To = session;
            answer.Id = originalId;
            Send(answer);
            return;
        }

        if (!_jidNick.TryGetValue(realJid, out var currentNick))
        {
            ReplyError(iq, MucErrors.NotConnected(), _jid);
            return;
        }

        if (target is null)
        {
            ReplyError(iq, StanzaError.ItemNotFound("Recipient not in room"), _jid);
            return;
        }

        if (to == currentNick && iq.Type == "get" && iq.Child("ping", Namespaces.Ping) is not null)
        {
            SendResult(iq);
            return;
        }

        var targetJid = target.PrimaryJid!;
        var forwarded = iq.Clone();
        forwarded.Id = EncodeIqId(targetJid, iq.Id ?? string.Empty, SessionHash(realJid));
        forwarded.From = currentNick;
        forwarded.To = iq.FirstElement()?.Namespace is Namespaces.VCard or Namespaces.PubSub or Namespaces.VCard4 ? BareOf(targetJid) : targetJid;
        Send(forwarded);
    }

    private string SessionHash(string realJid) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Salt), Encoding.UTF8.GetBytes(realJid)).AsSpan(0, 8));

    private static string EncodeIqId(string targetJid, string id, string hash) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(targetJid + "\0" + id + "\0" + hash));

    private static bool TryDecodeIqId(string? id, out string targetJid, out string originalId, out string hash)
    {
        targetJid = originalId = hash = string.Empty;
        if (id is null)
        {
            return false;
        }

        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(id)).Split('\0');
            if (parts.Length != 3 || parts[0].Length == 0 || parts[2].Length == 0)
            {
                return false;
            }

            (targetJid, originalId, hash) = (parts[0], parts[1], parts[2]);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
