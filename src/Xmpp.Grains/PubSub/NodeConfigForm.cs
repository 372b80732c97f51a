using System.Globalization;
using Xmpp.Grains.PubSub.State;
using Xmpp.Protocol.DataForms;

namespace Xmpp.Grains.PubSub;

/// <summary>
/// The <c>pubsub#node_config</c> form (XEP-0060 §16.4.4) as Prosody 0.12 renders it, field for
/// field: for owners (§8.2) and the default configuration (§8.3); read from their submissions,
/// from a create's configure element (§8.1.3) and from publish-options, which are also compared
/// with a node's configuration as preconditions (§7.1.5).
/// </summary>
internal static class NodeConfigForm
{
    private const string Title = "pubsub#title";
    private const string Description = "pubsub#description";
    private const string PayloadType = "pubsub#type";
    private const string MaxItems = "pubsub#max_items";
    private const string PersistItems = "pubsub#persist_items";
    private const string AccessModelVar = "pubsub#access_model";
    private const string RosterGroups = "pubsub#roster_groups_allowed";
    private const string PublishModel = "pubsub#publish_model";
    private const string SendLast = "pubsub#send_last_published_item";
    private const string DeliverNotifications = "pubsub#deliver_notifications";
    private const string DeliverPayloads = "pubsub#deliver_payloads";
    private const string NotificationType = "pubsub#notification_type";
    private const string NotifyDelete = "pubsub#notify_delete";
    private const string NotifyRetract = "pubsub#notify_retract";

    /// <summary>"max" for <see cref="NodeConfig.MaxItems"/> (XEP-0060 §16.4.4, version 1.15.5+).</summary>
    public const string Max = "max";

    private static readonly string[] PublishModels = ["publishers", "subscribers", "open"];
    private static readonly string[] SendLastModes = ["never", "on_sub", "on_sub_and_presence"];
    private static readonly string[] NotificationTypes = ["normal", "headline"];

    /// <summary>The form (XEP-0060 §8.2.1); the roster groups only for a node of the roster access model.</summary>
    public static DataForm Render(NodeConfig config, int maxItemsLimit)
    {
        var form = new DataForm().WithFormType(Namespaces.PubSubNodeConfig);
        form.Add(new DataFormField(Title) { Label = "Title" }).WithValue(config.Title);
        form.Add(new DataFormField(Description) { Label = "Description" }).WithValue(config.Description);
        form.Add(new DataFormField(PayloadType) { Label = "The type of node data, usually specified by the namespace of the payload (if any)" })
            .WithValue(config.PayloadType);
        form.Add(new DataFormField(MaxItems)
        {
            Label = "Max # of items to persist",
            Datatype = "pubsub:integer-or-max",
            Range = new DataFormRange("1", maxItemsLimit.ToString(CultureInfo.InvariantCulture)),
        }).WithValue(config.MaxItems?.ToString(CultureInfo.InvariantCulture) ?? Max);
        form.Add(new DataFormField(PersistItems, DataFormField.Boolean) { Label = "Persist items to storage" }).WithValue(config.PersistItems);
        form.Add(ListSingle(AccessModelVar, "Specify the subscriber model", AccessModel.Listed)).WithValue(config.AccessModel);
        if (config.AccessModel == AccessModel.Roster)
        {
            var groups = form.Add(new DataFormField(RosterGroups, DataFormField.ListMulti) { Label = "Roster groups allowed to subscribe" });
            foreach (var group in config.RosterGroupsAllowed)
            {
                groups.WithValue(group);
            }
        }

        form.Add(ListSingle(PublishModel, "Specify the publisher model", PublishModels)).WithValue(config.PublishModel);
        form.Add(ListSingle(SendLast, null, SendLastModes)).WithValue(config.SendLastPublishedItem);
        form.Add(new DataFormField(DeliverNotifications, DataFormField.Boolean) { Label = "Whether to deliver event notifications" })
            .WithValue(config.DeliverNotifications);
        form.Add(new DataFormField(DeliverPayloads, DataFormField.Boolean) { Label = "Whether to deliver payloads with event notifications" })
            .WithValue(config.DeliverPayloads);
        var notificationType = form.Add(new DataFormField(NotificationType, DataFormField.ListSingle) { Label = "Specify the delivery style for notifications" });
        notificationType.Options.Add(new DataFormOption("normal", "Messages of type normal"));
        notificationType.Options.Add(new DataFormOption("headline", "Messages of type headline"));
        notificationType.WithValue(config.NotificationType);
        form.Add(new DataFormField(NotifyDelete, DataFormField.Boolean) { Label = "Whether to notify subscribers when the node is deleted" })
            .WithValue(config.NotifyDelete);
        form.Add(new DataFormField(NotifyRetract, DataFormField.Boolean) { Label = "Whether to notify subscribers when items are removed from the node" })
            .WithValue(config.NotifyRetract);
        return form;
    }

    /// <summary>
    /// The configuration a submitted form asks for, starting from <paramref name="current"/>: fields
    /// left out keep their values, unknown ones are ignored (as by Prosody). A value the service
    /// cannot take is refused: <c>bad-request</c> for one that is not of its type, <c>not-acceptable</c>
    /// for an access model this service does not offer (§8.2.3.4, §8.1.3.2).
    /// </summary>
    public static NodeConfig Apply(NodeConfig current, DataForm form, int maxItemsLimit, bool pep)
    {
        if (form.FormType is { } formType && formType is not (Namespaces.PubSubNodeConfig or Namespaces.PubSubPublishOptions))
        {
            throw new StanzaErrorException(StanzaError.BadRequest("Not a node configuration form"));
        }

        var config = current.Copy();
        foreach (var field in form.Fields)
        {
            Set(config, field, maxItemsLimit);
        }

        if (!AccessModel.IsSupported(config.AccessModel, pep))
        {
            throw new StanzaErrorException(StanzaError.NotAcceptable());
        }

        return config;
    }

    /// <summary>
    /// XEP-0060 §7.1.5: each publish option is a precondition the node's configuration must meet;
    /// null when it does, else the name of the setting that does not (as Prosody names them in
    /// its error text: the field without "pubsub#", notify_items, include_payload and payload_type
    /// for the three fields whose names differ).
    /// </summary>
    public static string? UnmetPrecondition(NodeConfig config, DataForm options, int maxItemsLimit)
    {
        foreach (var field in options.Fields)
        {
            if (field.Var is null or DataForm.FormTypeVar)
            {
                continue;
            }

            var wanted = config.Copy();
            try
            {
                Set(wanted, field, maxItemsLimit);
            }
            catch (StanzaErrorException)
            {
                return SettingName(field.Var);
            }

            if (!SameConfiguration(wanted, config))
            {
                return SettingName(field.Var);
            }
        }

        return null;
    }

    private static void Set(NodeConfig config, DataFormField field, int maxItemsLimit)
    {
        switch (field.Var)
        {
            case Title:
                config.Title = NullIfEmpty(field.Value);
                break;
            case Description:
                config.Description = NullIfEmpty(field.Value);
                break;
            case PayloadType:
                config.PayloadType = NullIfEmpty(field.Value);
                break;
            case MaxItems:
                config.MaxItems = ParseMaxItems(field.Value, maxItemsLimit);
                break;
            case PersistItems:
                config.PersistItems = Boolean(field);
                break;
            case AccessModelVar:
                config.AccessModel = OneOf(field, AccessModel.Listed);
                break;
            case RosterGroups:
                config.RosterGroupsAllowed = [.. field.Values];
                break;
            case PublishModel:
                config.PublishModel = OneOf(field, PublishModels);
                break;
            case SendLast:
                config.SendLastPublishedItem = OneOf(field, SendLastModes);
                break;
            case DeliverNotifications:
                config.DeliverNotifications = Boolean(field);
                break;
            case DeliverPayloads:
                config.DeliverPayloads = Boolean(field);
                break;
            case NotificationType:
                config.NotificationType = OneOf(field, NotificationTypes);
                break;
            case NotifyDelete:
                config.NotifyDelete = Boolean(field);
                break;
            case NotifyRetract:
                config.NotifyRetract = Boolean(field);
                break;
        }
    }

    /// <summary>A count from 1 to the service's limit, or "max" (Prosody: bad-request "max_items: out of bounds").</summary>
    private static int? ParseMaxItems(string? value, int limit)
    {
        if (value == Max)
        {
            return null;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            throw new StanzaErrorException(StanzaError.BadRequest("max_items: not a number"));
        }

        return count >= 1 && count <= limit ? count : throw new StanzaErrorException(StanzaError.BadRequest("max_items: out of bounds"));
    }

    private static bool Boolean(DataFormField field) =>
        field.BooleanValue ?? throw new StanzaErrorException(StanzaError.BadRequest($"{field.Var}: Invalid boolean representation:{field.Value}"));

    private static string OneOf(DataFormField field, string[] allowed) =>
        field.Value is { } value && allowed.Contains(value, StringComparer.Ordinal)
            ? value
            : throw new StanzaErrorException(StanzaError.BadRequest($"{field.Var}: must be one of {string.Join(", ", allowed)}"));

    /// <summary>A list-single field whose options are labelled with their values, as Prosody renders them.</summary>
    private static DataFormField ListSingle(string var, string? label, IEnumerable<string> options)
    {
        var field = new DataFormField(var, DataFormField.ListSingle) { Label = label };
        foreach (var option in options)
        {
            field.Options.Add(new DataFormOption(option, option));
        }

        return field;
    }

    private static string SettingName(string var) => var switch
    {
        DeliverNotifications => "notify_items",
        DeliverPayloads => "include_payload",
        PayloadType => "payload_type",
        _ => var.StartsWith("pubsub#", StringComparison.Ordinal) ? var["pubsub#".Length..] : var,
    };

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static bool SameConfiguration(NodeConfig a, NodeConfig b) =>
        a.AccessModel == b.AccessModel && a.PublishModel == b.PublishModel && a.MaxItems == b.MaxItems
        && a.PersistItems == b.PersistItems && a.DeliverPayloads == b.DeliverPayloads
        && a.DeliverNotifications == b.DeliverNotifications && a.NotifyDelete == b.NotifyDelete
        && a.NotifyRetract == b.NotifyRetract && a.SendLastPublishedItem == b.SendLastPublishedItem
        && a.Title == b.Title && a.Description == b.Description && a.PayloadType == b.PayloadType
        && a.NotificationType == b.NotificationType && a.RosterGroupsAllowed.SequenceEqual(b.RosterGroupsAllowed);
}
