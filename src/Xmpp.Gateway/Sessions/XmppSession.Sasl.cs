using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Xmpp.Gateway.Sasl;
using Xmpp.Gateway.Transport;

namespace Xmpp.Gateway.Sessions;

// SASL authentication (RFC 6120 §6.4): <auth/>, <challenge/>/<response/> rounds, <success/> or
// <failure/>, <abort/>. Failures are limited per connection and throttled per address.
internal sealed partial class XmppSession
{
    private SaslMechanism? _sasl;
    private string? _mechanismName;
    private int _authFailures;
    private string? _username;

    private async ValueTask OnSaslElementAsync(Element element)
    {
        switch (element.Name)
        {
            case "auth":
                await OnAuthAsync(element);
                break;
            case "response" when _sasl is not null:
                if (TryDecode(element, out var response))
                {
                    await ApplyAsync(await _sasl.ContinueAsync(response ?? [], default));
                }
                else
                {
                    await ApplyAsync(SaslStep.Failed(SaslFailure.IncorrectEncoding));
                }

                break;
            case "abort" when _sasl is not null:
                // §6.4.4: not a guess, so it does not count as a failed attempt.
                _sasl = null;
                Reply(Failure(SaslFailure.Aborted, null));
                break;
            default:
                // A response or abort outside an exchange, or an unknown SASL element.
                await ApplyAsync(SaslStep.Failed(SaslFailure.MalformedRequest));
                break;
        }
    }

    private async ValueTask OnAuthAsync(Element auth)
    {
        _sasl = null;
        _mechanismName = auth.GetAttribute("mechanism");
        if (!MayAuthenticate)
        {
            await ApplyAsync(SaslStep.Failed(SaslFailure.EncryptionRequired));
            return;
        }

        if (_context.Throttle.IsBlocked(_transport.RemoteEndPoint?.Address, out var retryAfter))
        {
            await ApplyAsync(SaslStep.Failed(
                SaslFailure.TemporaryAuthFailure,
                $"Too many failed authentication attempts; try again in {Math.Ceiling(retryAfter.TotalSeconds)} seconds"));
            return;
        }

        var name = auth.GetAttribute("mechanism");
        var mechanism = CreateMechanism(name);
        if (mechanism is null)
        {
            // PLAIN exists but needs TLS here (§6.4.5 encryption-required); anything else is unknown.
            var condition = name == SaslMechanism.Plain && !MayUsePlain ? SaslFailure.EncryptionRequired : SaslFailure.InvalidMechanism;
            await ApplyAsync(SaslStep.Failed(condition));
            return;
        }

        if (!TryDecode(auth, out var initialResponse))
        {
            await ApplyAsync(SaslStep.Failed(SaslFailure.IncorrectEncoding));
            return;
        }

        _sasl = mechanism;

        // The mechanism reads the account (SQLite reads synchronously) and may derive keys (PLAIN's
        // PBKDF2): not on a socket engine's thread. Hopping here rather than inside the lookup: a
        // lookup that hopped and finished before its caller awaited it would let the caller carry on
        // on the engine's thread.
        await ThreadPoolHop.Ensure();
        await ApplyAsync(await mechanism.StartAsync(initialResponse, default));
    }

    private SaslMechanism? CreateMechanism(string? name)
    {
        foreach (var offered in OfferedMechanisms())
        {
            if (offered == name)
            {
                return name switch
                {
                    SaslMechanism.ScramSha256 => new ScramMechanism(_context.Sasl, HashAlgorithmName.SHA256),
                    SaslMechanism.ScramSha1 => new ScramMechanism(_context.Sasl, HashAlgorithmName.SHA1),
                    _ => new PlainMechanism(_context.Sasl),
                };
            }
        }

        return null;
    }

    private async ValueTask ApplyAsync(SaslStep step)
    {
        switch (step.Kind)
        {
            case SaslStepKind.Challenge:
                Reply(new Element("challenge", Namespaces.Sasl).AddText(Encode(step.Data)));
                break;

            case SaslStepKind.Success:
                // §6.4.6: success (with additional data for SCRAM's server signature), then a new
                // stream on the same transport with authenticated limits.
                _sasl = null;
                _authenticated = true;
                _context.Tracker.Authenticated();
                _username = step.Username;
                ExemptAdministrator($"{_username}@{_context.Domain}");
                var success = new Element("success", Namespaces.Sasl);
                if (step.Data is { Length: > 0 })
                {
                    success.AddText(Convert.ToBase64String(step.Data));
                }

                Reply(success);
                await FlushNegotiationOutputAsync();
                _state = NegotiationState.AwaitingHeader;
                _headerSent = false;
                _transport.ResetStream(_context.LimitsAfterAuthentication);
                Logger.LogInformation("{Remote} logged in as {Account} with {Mechanism}", _transport.RemoteEndPoint, _username, _mechanismName);
                _context.Metrics.LoggedIn(_mechanismName);
                break;

            case SaslStepKind.Failure:
                // Who tried which account and how, never what they sent (a password, a SCRAM proof).
                Logger.LogWarning(
                    "{Remote} failed to log in as {Account} with {Mechanism}: {Condition}",
                    _transport.RemoteEndPoint, _sasl?.Account ?? "(none named)", _mechanismName ?? "(none)", step.Condition);
                _context.Metrics.LoginFailed(_mechanismName);
                _sasl = null;
                Reply(Failure(step.Condition!, step.Text));
                _authFailures++;
                if (_context.Throttle.RecordFailure(_transport.RemoteEndPoint?.Address) is { } blocked)
                {
                    Logger.LogWarning("Refusing logins from {Address} for {Duration} after repeated failures", _transport.RemoteEndPoint?.Address, blocked);
                    _context.Metrics.AddressThrottled();
                }

                if (_authFailures >= _context.Options.Auth.MaxFailuresPerConnection)
                {
                    RequestClose(new StreamError(StreamError.PolicyViolation, "Too many failed authentication attempts"));
                }

                break;
        }
    }

    private static Element Failure(string condition, string? text)
    {
        var failure = new Element("failure", Namespaces.Sasl);
        failure.AddChild(condition, Namespaces.Sasl);
        if (text is not null)
        {
            failure.AddTextChild("text", Namespaces.Sasl, text);
        }

        return failure;
    }

    /// <summary>
    /// §6.4.2: base64 content; no content means no data, and a single '=' means data of zero length.
    /// Whitespace is tolerated, as some clients wrap long responses.
    /// </summary>
    private static bool TryDecode(Element element, out byte[]? data)
    {
        data = null;
        var text = element.Text.Trim();
        if (text.Length == 0)
        {
            return true;
        }

        if (text == "=")
        {
            data = [];
            return true;
        }

        try
        {
            data = Convert.FromBase64String(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string Encode(byte[]? data) => data is null || data.Length == 0 ? "=" : Convert.ToBase64String(data);
}
