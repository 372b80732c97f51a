using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xmpp.Grains;
using Xmpp.Grains.Upload;
using Xmpp.Storage.Uploads;

namespace Xmpp.Server.Upload;

/// <summary>
/// The slots' URLs on the server's HTTP port (the WebSocket endpoint's), as Prosody's
/// mod_http_file_share serves them: <c>PUT /upload/SLOT/NAME</c> with the slot's bearer token
/// stores the file once (201; 401 without a valid token, 410 once the token expired, 400 for
/// another slot's token, 413 for another size, 415 for another content type, 409 when it was
/// uploaded already), <c>GET</c>/<c>HEAD</c> serves it (404 when unknown or expired), and CORS
/// lets browser clients do both from their own origin.
/// </summary>
internal static class UploadEndpoint
{
    private const string CorsPolicy = "upload";

    /// <summary>Prosody's safe_file_types: served inline; anything else is an attachment, never rendered in the server's origin.</summary>
    private static readonly string[] InlineTypes = ["image/*", "video/*", "audio/*", "text/plain"];

    /// <summary>
    /// Prosody's CORS for the upload app: any origin (echoed, with credentials), the methods it
    /// serves, the headers a PUT carries, preflights cached two hours.
    /// </summary>
    public static void AddServices(IServiceCollection services) =>
        services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy
            .SetIsOriginAllowed(static _ => true)
            .AllowCredentials()
            .WithMethods(HttpMethods.Get, HttpMethods.Head, HttpMethods.Put, HttpMethods.Options)
            .WithHeaders("Content-Type", "Authorization")
            .SetPreflightMaxAge(TimeSpan.FromHours(2))));

    /// <summary>Maps the paths; the routing middleware is in place (<see cref="Management.ManagementEndpoint.Map"/>).</summary>
    public static void Map(WebApplication app)
    {
        app.UseCors();
        var uploads = app.MapGroup(UploadLocation.Path).RequireCors(CorsPolicy);
        uploads.MapPut("/{slot}/{**name}", PutAsync);
        uploads.MapMethods("/{slot}/{**name}", [HttpMethods.Get, HttpMethods.Head], GetAsync);
    }

    private static async Task<IResult> PutAsync(string slot, HttpContext http, UploadSecret secret, IUploadStore store, TimeProvider clock)
    {
        if (!AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization, out var authorization)
            || !string.Equals(authorization.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
            || authorization.Parameter is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Unauthorized();
        }

        if (SlotToken.Verify(authorization.Parameter, await secret.GetAsync()) is not { } claims)
        {
            return Results.Unauthorized();
        }

        var now = clock.GetUtcNow();
        if (claims.Expires < now)
        {
            return Results.StatusCode(StatusCodes.Status410Gone);
        }

        if (claims.Slot != slot)
        {
            return Results.BadRequest();
        }

        if (http.Request.ContentLength is { } length && length != claims.Size)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge); // too short as well, as Prosody says
        }

        // XEP-0363 §5: a type named in the request is the type of the upload (parameters aside).
        if (claims.ContentType is { } type && http.Request.ContentType is { } sent && !SameMediaType(type, sent))
        {
            return Results.StatusCode(StatusCodes.Status415UnsupportedMediaType);
        }

        // The slot bounds the body (ExactLengthStream), not Kestrel's 30 MB default.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        var file = new UploadedFile(slot, claims.FileName, claims.ServedContentType, claims.Size, now);
        try
        {
            return await store.PutAsync(file, new ExactLengthStream(http.Request.Body, claims.Size), http.RequestAborted)
                ? Results.StatusCode(StatusCodes.Status201Created)
                : Results.Conflict(); // one upload per slot; a failed one may be retried
        }
        catch (ExactLengthStream.LengthMismatchException)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }
    }

    private static async Task<IResult> GetAsync(string slot, HttpContext http, IUploadStore store, TimeProvider clock, IOptions<XmppOptions> options)
    {
        if (!UploadSlotId.IsWellFormed(slot) || await store.OpenAsync(slot, http.RequestAborted) is not { } upload)
        {
            return Results.NotFound();
        }

        // Expired is gone even before the sweep deletes it.
        var expiry = options.Value.Upload.Expiry;
        if (expiry > TimeSpan.Zero && upload.File.Uploaded + expiry <= clock.GetUtcNow())
        {
            await upload.DisposeAsync();
            return Results.NotFound();
        }

        var file = upload.File;
        var disposition = MediaTypes.MatchesAny(InlineTypes, file.ContentType) ? "inline" : "attachment";
        var headers = http.Response.Headers;
        headers.ContentDisposition = $"{disposition}; filename*=UTF-8''{Uri.EscapeDataString(file.FileName)}";

        // Prosody's: a file never changes under its URL, and is never a page of the server's origin.
        headers.CacheControl = "max-age=31556952, immutable";
        headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none';";
        headers.StrictTransportSecurity = "max-age=31556952";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers.XXSSProtection = "1; mode=block";
        return Results.Stream(upload.Stream, file.ContentType, lastModified: file.Uploaded, enableRangeProcessing: true);
    }

    private static bool SameMediaType(string expected, string sent) =>
        MediaTypeHeaderValue.TryParse(sent, out var media) && string.Equals(media.MediaType, expected.Split(';')[0].Trim(), StringComparison.OrdinalIgnoreCase);
}
