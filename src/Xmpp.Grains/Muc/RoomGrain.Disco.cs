using System.Globalization;
using Xmpp.Protocol.DataForms;

namespace Xmpp.Grains.Muc;

// Room discovery (XEP-0045 §6.4, §7.10 reserved nickname node) with Prosody's features and
// muc#roominfo form, in Prosody's order.
public sealed partial class RoomGrain
{
    private const string RoomUserItemNode = "x-roomuser-item";

    private Element DiscoInfo(Element request, string actor)
    {
        var node = request.GetAttribute("node");
        var query = new Element("query", Namespaces.DiscoInfo).SetAttribute("node", node);
        if (!string.IsNullOrEmpty(node))
        {
            if (node == RoomUserItemNode && RegisteredNick(BareOf(actor)) is { } nick)
            {
                query.AddChild("identity", Namespaces.DiscoInfo)
                    .SetAttribute("category", "conference")
                    .SetAttribute("name", nick)
                    .SetAttribute("type", "text");
            }

            return query;
        }

        var config = Config;
        void Feature(string var) => query.AddChild("feature", Namespaces.DiscoInfo).SetAttribute("var", var);

        Feature(Namespaces.Muc);
        Feature(Namespaces.MucStableId);
        Feature(Namespaces.MucSelfPingOptimization);
        Feature(WhoisAnyone ? "muc_nonanonymous" : "muc_semianonymous");
        query.AddChild("identity", Namespaces.DiscoInfo)
            .SetAttribute("category", "conference")
            .SetAttribute("type", "text")
            .SetAttribute("name", config.Name);
        Feature(config.Public ? "muc_public" : "muc_hidden");
        Feature(config.Password is null ? "muc_unsecured" : "muc_passwordprotected");
        Feature(config.MembersOnly ? "muc_membersonly" : "muc_open");
        Feature(config.Moderated ? "muc_moderated" : "muc_unmoderated");
        Feature(Namespaces.MucRequest);
        Feature(config.Persistent ? "muc_persistent" : "muc_temporary");
        Feature(Namespaces.Register);
        Feature(Namespaces.OccupantId);
        if (ArchivingEnabled)
        {
            Feature(Namespaces.Mam);
        }

        Feature(Namespaces.StanzaId);

        var info = new DataForm(DataForm.Result).WithFormType(Namespaces.MucRoomInfo);
        info.Add(new DataFormField("muc#roominfo_occupants") { Label = "Number of occupants" })
            .WithValue(_occupants.Count.ToString(CultureInfo.InvariantCulture));
        info.Add(new DataFormField("muc#roomconfig_roomname") { Label = "Title" }).WithValue(config.Name);
        info.Add(new DataFormField("muc#roominfo_description") { Label = "Description" }).WithValue(config.Description ?? string.Empty);
        info.Add(new DataFormField("muc#roominfo_lang")).WithValue(config.Language ?? string.Empty);
        info.Add(new DataFormField(AllowMemberInvitesVar, DataFormField.Boolean) { Label = "Allow members to invite new members" })
            .WithValue(config.AllowMemberInvites);
        info.Add(new DataFormField("muc#roomconfig_allowinvites", DataFormField.Boolean) { Label = "Allow users to invite other users" })
            .WithValue(!config.MembersOnly || config.AllowMemberInvites);
        var changeSubject = info.Add(new DataFormField("muc#roomconfig_changesubject", DataFormField.Boolean));
        if (config.ChangeSubject)
        {
            changeSubject.WithValue(true);
        }

        query.Add(info.ToElement());
        return query;
    }
}
