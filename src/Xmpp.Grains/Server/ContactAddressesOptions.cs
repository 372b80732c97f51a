using Xmpp.Protocol.DataForms;

namespace Xmpp.Grains.Server;

/// <summary>
/// Contact addresses for the service (XEP-0157), configuration section "Xmpp:ContactAddresses"
/// (Prosody's contact_info): each a list of URIs (mailto:, xmpp:, https:, …), published as the
/// serverinfo form in the server's disco#info (XEP-0128).
/// </summary>
public sealed class ContactAddressesOptions
{
    public IList<string> Abuse { get; } = [];

    public IList<string> Admin { get; } = [];

    public IList<string> Feedback { get; } = [];

    public IList<string> Sales { get; } = [];

    public IList<string> Security { get; } = [];

    /// <summary>Where the service's status is published (XEP-0157 1.1).</summary>
    public IList<string> Status { get; } = [];

    public IList<string> Support { get; } = [];

    /// <summary>
    /// The <c>http://jabber.org/network/serverinfo</c> form, or null when no address is configured.
    /// As Prosody's mod_server_contact_info renders it: every field in the registry's order, those
    /// without addresses empty.
    /// </summary>
    public DataForm? ToForm()
    {
        (string Var, IList<string> Addresses)[] fields =
        [
            ("abuse-addresses", Abuse),
            ("admin-addresses", Admin),
            ("feedback-addresses", Feedback),
            ("sales-addresses", Sales),
            ("security-addresses", Security),
            ("status-addresses", Status),
            ("support-addresses", Support),
        ];
        if (fields.All(f => f.Addresses.Count == 0))
        {
            return null;
        }

        var form = new DataForm(DataForm.Result).WithFormType(Namespaces.ServerInfo);
        foreach (var (name, addresses) in fields)
        {
            var field = form.Add(new DataFormField(name, DataFormField.ListMulti));
            foreach (var address in addresses)
            {
                field.WithValue(address);
            }
        }

        return form;
    }
}
