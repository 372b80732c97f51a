using Microsoft.Extensions.Logging;
using Xmpp.Gateway.Sasl;
using Xmpp.Gateway.Transport;
using Xmpp.Grains.Users;
using Xmpp.Protocol.DataForms;
using Xmpp.Storage;

namespace Xmpp.Gateway.Sessions;

// In-band registration (XEP-0077) as Prosody's mod_register_ibr and mod_user_account_management do
// it: before login (when Gateway:Registration:Enabled), a new account; after login, the account's
// own registration, a password change, and removal. Handled here, where the credentials are made
// and the stream can be closed once the reply went out; the account's grain does the rest.
internal sealed partial class XmppSession
{
    private const string RegistrationInstructions = "Choose a username and password for use with this service.";

    private static readonly StreamError AccountDeleted = new(StreamError.NotAuthorized, "Account deleted");

    /// <summary>Registration is offered before login where a login may happen (§3.1: it ends in SASL like any other).</summary>
    private bool OffersRegistration => _context.Options.Registration.Enabled && MayAuthenticate;

    private static bool IsRegistrationRequest(Element element) =>
        Stanza.IsIq(element) && element.Namespace == Namespaces.Client && element.Type is "get" or "set"
        && element.Child("query", Namespaces.Register) is not null;

    /// <summary>A request about the logged-in account: to it, to its bare JID or (as Prosody's registration_compat) to the server.</summary>
    private bool IsOwnRegistrationRequest(Element stanza) =>
        IsRegistrationRequest(stanza) && (stanza.To is null || stanza.To == _context.Domain || stanza.To == Jid!.Bare.ToString());

    private async ValueTask OnRegistrationBeforeLoginAsync(Element iq)
    {
        if (!_context.Options.Registration.Enabled)
        {
            Reply(Stanza.ErrorReply(iq, StanzaError.ServiceUnavailable()));
            return;
        }

        if (!MayAuthenticate)
        {
            Reply(Stanza.ErrorReply(iq, StanzaError.PolicyViolation("Encryption is required")));
            return;
        }

        var query = iq.Child("query", Namespaces.Register)!;
        if (iq.Type == "get")
        {
            Reply(Stanza.Result(iq).Add(RegistrationForm()));
        }
        else if (query.Child("remove", Namespaces.Register) is not null)
        {
            Reply(Stanza.ErrorReply(iq, StanzaError.RegistrationRequired())); // nothing to remove before login
        }
        else
        {
            Reply(await RegisterAsync(iq, query));
        }
    }

    private async Task<Element> RegisterAsync(Element iq, Element query)
    {
        var (username, password) = ReadRegistration(query);
        var missing = new List<string>();
        if (string.IsNullOrEmpty(username))
        {
            missing.Add("Username: Required value missing");
        }

        if (string.IsNullOrEmpty(password))
        {
            missing.Add("Password: Required value missing");
        }

        if (missing.Count > 0)
        {
            return Stanza.ErrorReply(iq, StanzaError.NotAcceptable(string.Join('\n', missing)));
        }

        if (!Jid.TryPrepareLocalpart(username!, out var localpart, out _))
        {
            return Stanza.ErrorReply(iq, StanzaError.NotAcceptable("The requested username is invalid."));
        }

        var account = _context.Grains.GetGrain<IUserGrain>($"{localpart}@{_context.Domain}");
        if (!await account.MayRegisterAsync())
        {
            return Stanza.ErrorReply(iq, StanzaError.NotAcceptable()); // a removed account's name (mod_tombstones)
        }

        var address = _transport.RemoteEndPoint?.Address;
        if (!_context.Registrations.TryTake(address))
        {
            Logger.LogWarning("Refusing to register {Account} for {Address}: too many registrations from it (Gateway:Registration)", localpart, address);
            return Stanza.ErrorReply(iq, new StanzaError(StanzaError.TypeWait, "policy-violation", "Too many registrations from this IP address recently"));
        }

        var created = !_context.Options.OpenAuthentication && await CreateAccountAsync(localpart, password!);
        if (!created)
        {
            return Stanza.ErrorReply(iq, StanzaError.Conflict("The requested username already exists."));
        }

        await account.AccountCreatedAsync();
        Logger.LogInformation("{Remote} registered the account {Account}", _transport.RemoteEndPoint, localpart);
        return Stanza.Result(iq);
    }

    /// <summary>Makes the credentials (key derivation, off the socket engine's threads) and stores them; false when the name is taken.</summary>
    private async Task<bool> CreateAccountAsync(string localpart, string password)
    {
        await ThreadPoolHop.Ensure();
        return await _context.Sasl.Accounts.CreateAsync(ScramCredentials.CreateAccount(localpart, password, _context.Sasl.ScramIterations));
    }

    /// <summary>A logged-in account's registration: what it is, a new password, or its removal (§3.2, §3.3).</summary>
    private async ValueTask OnOwnRegistrationAsync(Element iq)
    {
        // What the client sent before this reaches its account first, as it would have in order.
        await _toAccount!.WhenDrainedAsync();
        var query = iq.Child("query", Namespaces.Register)!;
        var account = _context.Grains.GetGrain<IUserGrain>(Jid!.Bare.ToString());
        if (iq.Type == "get")
        {
            var registered = new Element("query", Namespaces.Register);
            registered.AddChild("registered", Namespaces.Register);
            registered.AddTextChild("username", Namespaces.Register, Jid.Local!);
            registered.AddChild("password", Namespaces.Register);
            Reply(Stanza.Result(iq).Add(registered));
        }
        else if (query.Child("remove", Namespaces.Register) is not null)
        {
            await RemoveAccountAsync(iq, account);
        }
        else
        {
            Reply(await ChangePasswordAsync(iq, query, account));
        }
    }

    private async Task RemoveAccountAsync(Element iq, IUserGrain account)
    {
        try
        {
            await account.RemoveAccountAsync(Jid!.Resource!);
        }
        catch (StanzaErrorException e)
        {
            Reply(Stanza.ErrorReply(iq, e.Error));
            return;
        }

        Logger.LogInformation("{Remote} removed the account {Account}", _transport.RemoteEndPoint, Jid.Local);
        Reply(Stanza.Result(iq)); // §3.2: the result, then the stream ends
        RequestClose(AccountDeleted);
    }

    private async Task<Element> ChangePasswordAsync(Element iq, Element query, IUserGrain account)
    {
        var (username, password) = ReadRegistration(query);
        if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password)
            || !Jid.TryPrepareLocalpart(username, out var localpart, out _) || localpart != Jid!.Local)
        {
            return Stanza.ErrorReply(iq, StanzaError.BadRequest());
        }

        await ThreadPoolHop.Ensure();
        Account credentials;
        try
        {
            credentials = ScramCredentials.CreateAccount(localpart, password, _context.Sasl.ScramIterations);
        }
        catch (ArgumentException)
        {
            return Stanza.ErrorReply(iq, StanzaError.NotAcceptable("The password is not acceptable"));
        }

        if (!await _context.Sasl.Accounts.UpdateAsync(credentials))
        {
            return Stanza.ErrorReply(iq, new StanzaError(StanzaError.TypeWait, "internal-server-error"));
        }

        await account.PasswordChangedAsync(Jid.Resource!);
        Logger.LogInformation("{Remote} changed the password of {Account}", _transport.RemoteEndPoint, localpart);
        return Stanza.Result(iq);
    }

    /// <summary>The username and password of a registration: from its data form when it has one (§4), else from the query's fields.</summary>
    private static (string? Username, string? Password) ReadRegistration(Element query) =>
        DataForm.Find(query) is { } form
            ? (form["username"]?.Value, form["password"]?.Value)
            : (query.ChildText("username", Namespaces.Register), query.ChildText("password", Namespaces.Register));

    /// <summary>§3.1 and §4 as Prosody words them: the legacy fields and the same as a form.</summary>
    private static Element RegistrationForm()
    {
        var query = new Element("query", Namespaces.Register);
        query.AddTextChild("instructions", Namespaces.Register, RegistrationInstructions);
        query.AddChild("username", Namespaces.Register);
        query.AddChild("password", Namespaces.Register);
        var form = new DataForm { Title = "Creating a new account", Instructions = RegistrationInstructions }.WithFormType(Namespaces.Register);
        form.Add(new DataFormField("username") { Label = "Username", Required = true });
        form.Add(new DataFormField("password", DataFormField.TextPrivate) { Label = "Password", Required = true });
        query.Add(form.ToElement());
        return query;
    }
}
