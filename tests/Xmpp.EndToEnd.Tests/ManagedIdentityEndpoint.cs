using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Xmpp.EndToEnd.Tests;

/// <summary>
/// The managed-identity endpoint a host platform gives its apps — Azure Container Apps (as App
/// Service) names it in <c>IDENTITY_ENDPOINT</c> and <c>IDENTITY_HEADER</c> — on a loopback port,
/// answering every token request as the platform does when the app has no such identity (a wrong
/// <c>AZURE_CLIENT_ID</c>, an identity not assigned): 400 and the platform's message. Azure.Identity's
/// managed-identity credential talks to it as to the real one, with no other address touched.
/// </summary>
internal sealed class ManagedIdentityEndpoint : IAsyncDisposable
{
    public const string Refusal = "No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId.";

    private readonly WebApplication _app;

    private ManagedIdentityEndpoint(WebApplication app) => _app = app;

    /// <summary>The variables that point Azure.Identity at this endpoint, as the platform sets them, with the app's client id.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; private set; } = new Dictionary<string, string>();

    public static async Task<ManagedIdentityEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/msi/token", () => Results.Json(new { statusCode = 400, message = Refusal, correlationId = Guid.NewGuid() }, statusCode: 400));
        await app.StartAsync();
        return new ManagedIdentityEndpoint(app)
        {
            Environment = new Dictionary<string, string>
            {
                ["IDENTITY_ENDPOINT"] = new Uri(new Uri(app.Urls.Single()), "/msi/token").ToString(),
                ["IDENTITY_HEADER"] = Guid.NewGuid().ToString("N"),
                ["AZURE_CLIENT_ID"] = Guid.NewGuid().ToString(),
                // As infra/main.bicep sets it: the managed identity only, no developer sign-ins.
                ["AZURE_TOKEN_CREDENTIALS"] = "ManagedIdentityCredential",
            },
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
