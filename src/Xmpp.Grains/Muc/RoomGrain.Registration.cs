using Xmpp.Protocol.DataForms;

namespace Xmpp.Grains.Muc;

// Registering with a room (XEP-0045 §7.10): the muc#register form reserves a nickname and makes
// the user a member; unregistering drops both (Prosody's register.lib).
public sealed partial class RoomGrain
{
    private async Task HandleRegisterAsync(Element iq, string actor, Element query)
    {
        var user = BareOf(actor);
        var affiliation = GetAffiliation(user);
        if (affiliation == Affiliation.Outcast)
        {
            ReplyError(iq, StanzaError.Forbidden());
            return;
        }

        if (affiliation == Affiliation.None && !_muc.AllowUnaffiliatedRegister)
        {
            ReplyError(iq, StanzaError.RegistrationRequired());
            return;
        }

        var registered = RegisteredNick(user);
        if (iq.Type == "get")
        {
            var answer = new Element("query", Namespaces.Register);
            if (registered is not null)
            {
                answer.AddChild("registered", Namespaces.Register);
                answer.AddTextChild("username", Namespaces.Register, registered);
            }
            else
            {
                answer.Add(RegistrationForm().ToElement());
            }

            SendResult(iq, answer);
            return;
        }

        if (query.Child("remove", Namespaces.Register) is not null)
        {
            // Unregistering drops a member affiliation (a higher one stays) and the nickname.
            var remaining = affiliation == Affiliation.Member ? Affiliation.None : affiliation;
            var removeError = SetAffiliationCore(null, user, remaining, null, string.Empty);
            await SaveAsync();
            if (removeError is not null)
            {
                ReplyError(iq, removeError);
            }
            else
            {
                SendResult(iq);
            }

            return;
        }

        if (query.Child("x", Namespaces.DataForms) is not { } x)
        {
            ReplyError(iq, StanzaError.BadRequest("Missing dataform"));
            return;
        }

        var form = DataForm.Parse(x);
        if (form.FormType != Namespaces.MucRegister)
        {
            ReplyError(iq, StanzaError.BadRequest("Error in form"));
            return;
        }

        if (form["muc#register_roomnick"]?.Value is not { } requested || !MucNickname.TryPrepareStrict(requested, out var desired))
        {
            ReplyError(iq, StanzaError.BadRequest("Invalid Nickname"));
            return;
        }

        if (_occupants.TryGetValue(OccupantJid(desired), out var current) && current.BareJid != user)
        {
            ReplyError(iq, StanzaError.Conflict());
            return;
        }

        if (RegisteredJid(desired) is { } reservedBy && reservedBy != user)
        {
            ReplyError(iq, StanzaError.Conflict());
            return;
        }

        if (registered != desired)
        {
            var error = SetAffiliationCore(null, user, affiliation == Affiliation.None ? Affiliation.Member : affiliation, null, desired);
            await SaveAsync();
            if (error is not null)
            {
                ReplyError(iq, error);
                return;
            }
        }

        SendResult(iq);
    }

    private static DataForm RegistrationForm()
    {
        var form = new DataForm().WithFormType(Namespaces.MucRegister);
        form.Add(new DataFormField("muc#register_roomnick") { Label = "Nickname", Required = true });
        return form;
    }
}
