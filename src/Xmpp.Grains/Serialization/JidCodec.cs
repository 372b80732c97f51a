using System.Text;

namespace Xmpp.Grains.Serialization;

/// <summary>
/// Orleans' wire format of a <see cref="Jid"/>: its prepared string form (RFC 7622), parsed again
/// on arrival. A JID is immutable, so copies are the same instance (<see cref="JidCopier"/>).
/// </summary>
[RegisterSerializer]
public sealed class JidCodec : Utf8FormCodec<Jid>
{
    protected override byte[] Encode(Jid value) => Encoding.UTF8.GetBytes(value.ToString());

    protected override Jid Decode(byte[] utf8) => Jid.Parse(Encoding.UTF8.GetString(utf8));
}
