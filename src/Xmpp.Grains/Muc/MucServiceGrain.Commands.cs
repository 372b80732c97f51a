using Xmpp.Protocol.DataForms;

namespace Xmpp.Grains.Muc;

// The administrators' ad-hoc commands of the MUC service (XEP-0050), as Prosody's mod_muc offers
// them: http://prosody.im/protocol/muc#destroy and …#set-affiliation.
public sealed partial class MucServiceGrain
{
    private static readonly string[] RequiredAffiliationFields = ["room", "jid", "affiliation"];
    private static readonly string[] AffiliationOptions = ["owner", "admin", "member", "none", "outcast"];

    private sealed record Command(string Node, string Name)
    {
        public static readonly Command Destroy = new(Namespaces.ProsodyMucDestroy, "Destroy Rooms");
        public static readonly Command SetAffiliation = new(Namespaces.ProsodyMucSetAffiliation, "Set affiliation in room");

        public static IReadOnlyList<Command> All { get; } = [Destroy, SetAffiliation];

        public static Command? Find(string? node) => All.FirstOrDefault(c => c.Node == node);
    }

    private async Task ExecuteCommandAsync(Element iq, Element request)
    {
        var command = Command.Find(request.GetAttribute("node"));
        if (command is null)
        {
            ReplyError(iq, StanzaError.ServiceUnavailable());
            return;
        }

        if (!IsAdmin(iq.From))
        {
            const string Refusal = "You don't have permission to execute this command";
            var refused = Stanza.ErrorReply(iq, StanzaError.Forbidden(Refusal));
            refused.Add(CommandElement(command, "canceled", null).Add(Note("error", Refusal)));
            Send(refused);
            return;
        }

        var sessionId = request.GetAttribute("sessionid") ?? Guid.NewGuid().ToString();
        var action = request.GetAttribute("action") ?? "execute";
        var form = request.Child("x", Namespaces.DataForms) is { } x ? DataForm.Parse(x) : null;
        Element reply;
        if (form is null && request.GetAttribute("sessionid") is null)
        {
            // First stage: the form to fill in.
            reply = CommandElement(command, "executing", sessionId);
            var actions = reply.AddChild("actions", Namespaces.Commands).SetAttribute("execute", "complete");
            actions.AddChild("next", Namespaces.Commands);
            actions.AddChild("complete", Namespaces.Commands);
            reply.Add((command == Command.Destroy ? await DestroyFormAsync() : SetAffiliationForm()).ToElement());
        }
        else if (action == "cancel")
        {
            reply = CommandElement(command, "canceled", sessionId);
        }
        else if (command == Command.Destroy)
        {
            reply = await DestroyRoomsAsync(command, sessionId, form);
        }
        else
        {
            reply = await SetAffiliationAsync(command, sessionId, form);
        }

        Send(Stanza.Result(iq, reply));
    }

    private static Element CommandElement(Command command, string status, string? sessionId) =>
        new Element("command", Namespaces.Commands)
            .SetAttribute("node", command.Node)
            .SetAttribute("status", status)
            .SetAttribute("sessionid", sessionId);

    private static Element Note(string type, string text) =>
        new Element("note", Namespaces.Commands).SetAttribute("type", type).AddText(text);

    private async Task<DataForm> DestroyFormAsync()
    {
        var form = new DataForm { Title = "Destroy rooms", Instructions = "Select the rooms to destroy" }.WithFormType(Namespaces.ProsodyMucDestroy);
        var rooms = form.Add(new DataFormField("rooms", DataFormField.ListMulti) { Label = "Rooms to destroy:", Required = true });
        foreach (var room in await ListRoomsAsync())
        {
            rooms.Options.Add(new DataFormOption(room, room));
        }

        return form;
    }

    /// <summary>Destroys each listed room and names those that were (Prosody's completed note).</summary>
    private async Task<Element> DestroyRoomsAsync(Command command, string sessionId, DataForm? form)
    {
        var rooms = form?["rooms"]?.Values ?? [];
        if (rooms.Count == 0)
        {
            return CommandElement(command, "completed", sessionId).Add(Note("error", "rooms: Required value missing"));
        }

        var destroyed = new List<string>();
        foreach (var room in rooms)
        {
            if (Jid.TryParse(room, out var jid) && jid.IsBare && jid.Local is not null
                && await GrainFactory.GetGrain<IRoomGrain>(jid.ToString()).DestroyAsync(null, null))
            {
                destroyed.Add(jid.ToString());
            }
        }

        return CommandElement(command, "completed", sessionId)
            .Add(Note("info", "The following rooms were destroyed:\n" + string.Join("\n", destroyed)));
    }

    private static DataForm SetAffiliationForm()
    {
        var form = new DataForm { Title = "Set affiliation" }.WithFormType(Namespaces.ProsodyMucSetAffiliation);
        form.Add(new DataFormField("room", DataFormField.JidSingle) { Label = "Room", Required = true });
        form.Add(new DataFormField("jid", DataFormField.JidSingle) { Label = "JID", Required = true });
        var affiliation = form.Add(new DataFormField("affiliation", DataFormField.ListSingle) { Label = "Affiliation", Required = true });
        foreach (var option in AffiliationOptions)
        {
            affiliation.Options.Add(new DataFormOption(option, option));
        }

        form.Add(new DataFormField("reason"));
        return form;
    }

    private async Task<Element> SetAffiliationAsync(Command command, string sessionId, DataForm? form)
    {
        var missing = RequiredAffiliationFields.Where(f => string.IsNullOrEmpty(form?[f]?.Value)).ToList();
        if (missing.Count > 0)
        {
            return CommandElement(command, "completed", sessionId)
                .Add(Note("error", string.Join("\n", missing.Select(f => f + ": Required value missing"))));
        }

        if (!Jid.TryParse(form!["room"]!.Value, out var room) || room.Local is null)
        {
            return CommandElement(command, "canceled", sessionId).Add(Note("error", "No such room"));
        }

        var grain = GrainFactory.GetGrain<IRoomGrain>(room.Bare.ToString());
        if (await grain.GetListingAsync() is null)
        {
            return CommandElement(command, "canceled", sessionId).Add(Note("error", "No such room"));
        }

        var error = await grain.SetAffiliationAsync(form["jid"]!.Value!, form["affiliation"]!.Value!, form["reason"]?.Value);
        return error is null
            ? CommandElement(command, "completed", sessionId).Add(Note("info", "Affiliation updated"))
            : CommandElement(command, "canceled", sessionId).Add(Note("error", "Affiliation change failed: " + error));
    }
}
