using System.Globalization;
using Xmpp.Grains.Muc.State;
using Xmpp.Protocol.DataForms;

namespace Xmpp.Grains.Muc;

// Owner use cases (XEP-0045 §10): the muc#roomconfig form with the fields Prosody offers, in
// its order; configuration changes with their status codes (104, 172, 173); destruction.
public sealed partial class RoomGrain
{
    private const string AllowMemberInvitesVar = "{" + Namespaces.ProsodyMuc + "}roomconfig_allowmemberinvites";
    private static readonly string[] AllRoles = ["none", "visitor", "participant", "moderator"];

    private async Task HandleOwnerAsync(Element iq, string actor, Element query)
    {
        if (GetAffiliation(actor) != Affiliation.Owner)
        {
            ReplyError(iq, StanzaError.Forbidden("Only owners can configure rooms"));
            return;
        }

        if (iq.Type == "get")
        {
            SendResult(iq, new Element("query", Namespaces.MucOwner).Add(ConfigurationForm().ToElement()));
            return;
        }

        var child = query.FirstElement();
        if (child is null)
        {
            ReplyError(iq, StanzaError.BadRequest());
        }
        else if (child.Name == "destroy")
        {
            // §10.9: occupants learn the reason and the alternate venue.
            await DestroyRoomAsync(child.GetAttribute("jid"), child.ChildText("reason", Namespaces.MucOwner), child.ChildText("password", Namespaces.MucOwner));
            SendResult(iq);
        }
        else if (child.Is("x", Namespaces.DataForms))
        {
            await ProcessConfigurationAsync(iq, actor, child);
        }
        else
        {
            ReplyError(iq, StanzaError.ServiceUnavailable());
        }
    }

    /// <summary>The muc#roomconfig form (XEP-0045 §10.2) with Prosody's sections, fields, labels and order.</summary>
    private DataForm ConfigurationForm()
    {
        var config = Config;
        var form = new DataForm
        {
            Title = "Configuration for " + _jid,
            Instructions = "Complete and submit this form to configure the room.",
        }.WithFormType(Namespaces.MucRoomConfig);

        form.Add(new DataFormField(null, DataFormField.Fixed)).WithValue("Room information");
        form.Add(new DataFormField("muc#roomconfig_roomname") { Label = "Title" }).WithValue(config.Name);
        form.Add(new DataFormField("muc#roomconfig_roomdesc") { Label = "Description", Description = "A brief description of the room" })
            .WithValue(config.Description ?? string.Empty);
        form.Add(new DataFormField("muc#roomconfig_lang")
        {
            Label = "Language tag for room (e.g. 'en', 'de', 'fr' etc.)",
            Description = "Indicate the primary language spoken in this room",
            Datatype = "xs:language",
        }).WithValue(config.Language ?? string.Empty);
        AddBoolean(form, "muc#roomconfig_persistentroom", "Persistent (room should remain even when it is empty)",
            "Rooms are automatically deleted when they are empty, unless this option is enabled", config.Persistent, omitFalse: true);
        AddBoolean(form, "muc#roomconfig_publicroom", "Include room information in public lists",
            "Enable this to allow people to find the room", config.Public, omitFalse: false);

        form.Add(new DataFormField(null, DataFormField.Fixed)).WithValue("Access to the room");
        form.Add(new DataFormField("muc#roomconfig_roomsecret", DataFormField.TextPrivate) { Label = "Password" }).WithValue(config.Password ?? string.Empty);
        AddBoolean(form, "muc#roomconfig_membersonly", "Only allow members to join",
            "Enable this to only allow access for room owners, admins and members", config.MembersOnly, omitFalse: true);
        AddBoolean(form, AllowMemberInvitesVar, "Allow members to invite new members", null, config.AllowMemberInvites, omitFalse: true);

        form.Add(new DataFormField(null, DataFormField.Fixed)).WithValue("Permissions in the room");
        AddBoolean(form, "muc#roomconfig_changesubject", "Allow anyone to set the room's subject",
            "Choose whether anyone, or only moderators, may set the room's subject", config.ChangeSubject, omitFalse: true);
        AddBoolean(form, "muc#roomconfig_moderatedroom", "Moderated (require permission to speak)",
            "In moderated rooms occupants must be given permission to speak by a room moderator", config.Moderated, omitFalse: true);
        var whois = form.Add(new DataFormField("muc#roomconfig_whois", DataFormField.ListSingle) { Label = "Addresses (JIDs) of room occupants may be viewed by:" });
        whois.Options.Add(new DataFormOption(RoomConfig.WhoisModerators, "Moderators only"));
        whois.Options.Add(new DataFormOption(RoomConfig.WhoisAnyone, "Anyone"));
        whois.WithValue(config.Whois);
        if (_muc.OfferPrivateMessageSetting)
        {
            var allowPm = form.Add(new DataFormField("muc#roomconfig_allowpm", DataFormField.ListSingle) { Label = "Allow private messages from" });
            allowPm.Options.Add(new DataFormOption("anyone", "Anyone"));
            allowPm.Options.Add(new DataFormOption("participants", "Participants"));
            allowPm.Options.Add(new DataFormOption("moderators", "Moderators"));
            allowPm.Options.Add(new DataFormOption("none", "No one"));
            allowPm.WithValue(config.AllowPrivateMessages);
        }

        form.Add(new DataFormField(null, DataFormField.Fixed)).WithValue("Other options");
        form.Add(new DataFormField("muc#roomconfig_historylength")
        {
            Label = "Maximum number of history messages returned by room",
            Description = "Specify the maximum number of previous messages that should be sent to users when they join the room",
            Datatype = "xs:integer",
        }).WithValue(HistoryLength.ToString(CultureInfo.InvariantCulture));
        form.Add(new DataFormField("muc#roomconfig_defaulthistorymessages")
        {
            Label = "Default number of history messages returned by room",
            Description = "Specify the number of previous messages sent to new users when they join the room",
            Datatype = "xs:integer",
        }).WithValue(DefaultHistoryMessages.ToString(CultureInfo.InvariantCulture));
        var broadcast = form.Add(new DataFormField("muc#roomconfig_presencebroadcast", DataFormField.ListMulti) { Label = "Only show participants with roles:" });
        foreach (var role in AllRoles)
        {
            broadcast.Options.Add(new DataFormOption(role, role));
        }

        foreach (var role in AllRoles)
        {
            if (IsBroadcast(Enum.Parse<Role>(role, ignoreCase: true)))
            {
                broadcast.Values.Add(role);
            }
        }

        AddBoolean(form, EnableArchivingVar, "Archive chat on server", null, ArchivingEnabled, omitFalse: false); // mod_muc_mam's, last
        return form;
    }

    /// <summary>Prosody renders a boolean that is unset (nil) without a value.</summary>
    private static void AddBoolean(DataForm form, string var, string label, string? description, bool value, bool omitFalse)
    {
        var field = form.Add(new DataFormField(var, DataFormField.Boolean) { Label = label, Description = description });
        if (value || !omitFalse)
        {
            field.WithValue(value);
        }
    }

    /// <summary>
    /// §10.1.2/§10.2: a submitted form (an empty one accepts the defaults of an instant room)
    /// unlocks the room and applies each field present; occupants learn of changes by status code.
    /// </summary>
    private async Task ProcessConfigurationAsync(Element iq, string actor, Element x)
    {
        var type = x.GetAttribute("type");
        if (type == DataForm.Cancel)
        {
            SendResult(iq);
            return;
        }

        if (type != DataForm.Submit)
        {
            ReplyError(iq, StanzaError.BadRequest("Not a submitted form").WithType(StanzaError.TypeCancel));
            return;
        }

        var form = DataForm.Parse(x);
        if (x.Elements().Any() && form.FormType != Namespaces.MucRoomConfig)
        {
            ReplyError(iq, StanzaError.BadRequest("Form is not of type room configuration").WithType(StanzaError.TypeCancel));
            return;
        }

        _state.State.LockedUntil = null;
        var codes = new List<string>();
        void Changed(string code)
        {
            if (!codes.Contains(code))
            {
                codes.Add(code);
            }
        }

        var config = Config;
        foreach (var field in form.Fields)
        {
            switch (field.Var)
            {
                case "muc#roomconfig_roomname":
                    if (SetText(config.Name, field, v => config.Name = v))
                    {
                        Changed(MucStatus.ConfigurationChanged);
                    }

                    break;
                case "muc#roomconfig_roomdesc":
                    if (SetText(config.Description, field, v => config.Description = v))
                    {
                        Changed(MucStatus.ConfigurationChanged);
                    }

                    break;
                case "muc#roomconfig_lang":
                    if (SetText(config.Language, field, v => config.Language = v))
                    {
                        Changed(MucStatus.ConfigurationChanged);
                    }

                    break;
                case "muc#roomconfig_persistentroom":
                    if (SetFlag(config.Persistent, field, v => config.Persistent = v))
                    {
                        Changed(MucStatus.ConfigurationChanged);
                    }

                    break;
                case "muc#roomconfig_publicroom":
                    if (SetFlag(config.Public, field, v => config.Public = v))
                    {
                        Changed(MucStatus.ConfigurationChanged);
                    }

                    break;
                case "muc#roomconfig_roomsecret":
                    if (SetText(config.Password, field, v => config.Password = v))
                    {
                        Changed(MucStatus.ConfigurationChanged);
                    }

                    break;
                case "muc#roomconfig_membersonly":
                    var wasMembersOnly = config.MembersOnly;
                    if (SetFlag(wasMembersOnly, field, v => config.MembersOnly = v))
                    {
                        Changed(MucStatus.ConfigurationChanged);
                        if (config.MembersOnly)
                        {
                            RemoveNonMembers();
                        }
                    }

                    break;
                case AllowMemberInvitesVar:
                    if (SetFlag(config.AllowMemberInvites, field, v => config.AllowMemberInvites = v))
                    {
                        Changed(MucStatus.ConfigurationChanged);
                    }

                    break;
                case "muc#roomconfig_changesubject":
                    if (SetFlag(config.ChangeSubject, field, v => config.ChangeSubject = v))
                    {
                        Changed(MucStatus.ConfigurationChanged);
                    }

                    break;
                case "muc#roomconfig_moderatedroom":
                    if (SetFlag(config.Moderated, field, v => config.Moderated = v))
                    {
                        Changed(MucStatus.ConfigurationChanged);
                    }

                    break;
                case "muc#roomconfig_whois":
                    if (field.Value is RoomConfig.WhoisAnyone or RoomConfig.WhoisModerators && field.Value != config.Whois)
                    {
                        config.Whois = field.Value;
                        Changed(config.Whois == RoomConfig.WhoisAnyone ? MucStatus.NowNonAnonymous : MucStatus.NowSemiAnonymous);
                    }

                    break;
                case "muc#roomconfig_allowpm":
                    if (field.Value is "anyone" or "participants" or "moderators" or "none" && field.Value != config.AllowPrivateMessages)
                    {
                        config.AllowPrivateMessages = field.Value;
                        Changed(MucStatus.ConfigurationChanged);
                    }

                    break;
                case "muc#roomconfig_historylength":
                    // Prosody reports this one as changed whenever it is submitted.
                    var length = ParseInteger(field.Value);
                    config.HistoryLength = length == MucRoomDefaults.DefaultHistoryLength ? null : length;
                    if (HistoryLength < _history.Count)
                    {
                        _history.RemoveRange(0, _history.Count - HistoryLength);
                    }

                    Changed(MucStatus.ConfigurationChanged);
                    break;
                case "muc#roomconfig_defaulthistorymessages":
                    var number = Math.Min(ParseInteger(field.Value) ?? MucRoomDefaults.DefaultHistoryLength, config.HistoryLength ?? MucRoomDefaults.DefaultHistoryLength);
                    config.DefaultHistoryMessages = number == MucRoomDefaults.DefaultHistoryLength ? null : number;
                    break;
                case "muc#roomconfig_presencebroadcast":
                    if (SetPresenceBroadcast(field.Values))
                    {
                        Changed(MucStatus.ConfigurationChanged);
                    }

                    break;
                case EnableArchivingVar:
                    if (field.BooleanValue is { } archiving && archiving != ArchivingEnabled)
                    {
                        config.Archiving = archiving;
                        Changed(MucStatus.ConfigurationChanged);
                    }

                    break;
            }
        }

        await SaveAsync();
        SendResult(iq);
        if (codes.Count > 0)
        {
            var x104 = MucUserX();
            foreach (var code in codes)
            {
                x104.AddStatus(code);
            }

            var notice = new Element(Stanza.Message) { Type = "groupchat", From = _jid };
            BroadcastMessage(notice.Add(x104));
        }
    }

    private static int? ParseInteger(string? text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>A text option: an empty or missing value unsets it. Returns whether it changed.</summary>
    private static bool SetText(string? current, DataFormField field, Action<string?> set)
    {
        var value = string.IsNullOrEmpty(field.Value) ? null : field.Value;
        if (value == current)
        {
            return false;
        }

        set(value);
        return true;
    }

    /// <summary>A boolean option: a missing or invalid value reads as false (Prosody). Returns whether it changed.</summary>
    private static bool SetFlag(bool current, DataFormField field, Action<bool> set)
    {
        var value = field.BooleanValue ?? false;
        if (value == current)
        {
            return false;
        }

        set(value);
        return true;
    }

    /// <summary>
    /// XEP-0045 §10.2: a room turned members-only removes whoever is not affiliated, with status 322.
    /// </summary>
    private void RemoveNonMembers()
    {
        var removed = new List<(Occupant Occupant, Role PreviousRole)>();
        foreach (var stored in _occupants.Values.ToList())
        {
            if (GetAffiliation(stored.BareJid) <= Affiliation.None)
            {
                var occupant = stored.Copy();
                removed.Add((occupant, occupant.Role));
                occupant.Role = Role.None;
                SaveOccupant(occupant);
            }
        }

        // The XEP wants the remaining occupants told too (Prosody 0.12 only tells those removed).
        foreach (var (occupant, previousRole) in removed)
        {
            PubliciseOccupantStatus(occupant, new OccupantX(MucUserX().AddStatus(MucStatus.RemovedMembersOnly)), prevRole: previousRole);
            OnOccupantLeft();
        }
    }

    /// <summary>Prosody's presence_broadcast: roles whose presence starts or stops being broadcast are announced or withdrawn.</summary>
    private bool SetPresenceBroadcast(IEnumerable<string> values)
    {
        var roles = AllRoles.Where(values.Contains).ToList();
        var before = AllRoles.Select(r => IsBroadcast(Enum.Parse<Role>(r, ignoreCase: true))).ToArray();
        var after = AllRoles.Select(roles.Contains).ToArray();
        if (before.SequenceEqual(after))
        {
            return false;
        }

        Config.PresenceBroadcast = roles.SequenceEqual(DefaultBroadcastRoles) ? null : roles;
        foreach (var occupant in _occupants.Values.ToList())
        {
            var index = (int)occupant.Role;
            if (after[index] && !before[index])
            {
                PubliciseOccupantStatus(occupant, new OccupantX(MucUserX()));
            }
            else if (before[index] && !after[index])
            {
                PubliciseOccupantStatus(occupant, new OccupantX(MucUserX()), forceUnavailable: true);
            }
        }

        return true;
    }
}
