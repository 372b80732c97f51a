using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xmpp.Grains.Routing;
using Xmpp.Grains.Upload.State;

namespace Xmpp.Grains.Upload;

/// <summary>
/// Counts an account's slots against its quota (<c>Xmpp:Upload:QuotaPerAccount</c> per
/// <c>QuotaPeriod</c>) when they are issued, as Prosody does: a slot counts whether or not it is
/// used. The count is stored before the slot goes out, so a restart or another silo sees it.
/// </summary>
[GrainType("upload-quota")]
public sealed class UploadQuotaGrain : Grain, IUploadQuotaGrain
{
    private readonly IPersistentState<UploadQuotaState> _state;
    private readonly UploadSlots _slots;
    private readonly IStanzaRouter _router;
    private readonly UploadOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<UploadQuotaGrain> _logger;

    public UploadQuotaGrain(
        [PersistentState("uploadquota")] IPersistentState<UploadQuotaState> state,
        UploadSlots slots,
        IStanzaRouter router,
        IOptions<XmppOptions> options,
        TimeProvider clock,
        ILogger<UploadQuotaGrain> logger)
    {
        _state = state;
        _slots = slots;
        _router = router;
        _options = options.Value.Upload;
        _clock = clock;
        _logger = logger;
    }

    public Task RequestSlotsAsync(IReadOnlyList<Element> requests) => StanzaBatch.HandleEachAsync(requests, new Handler(this));

    private async Task IssueAsync(Element iq)
    {
        var request = SlotRequest.Read(iq.FirstElement()!, _options); // checked by UploadService already: this reads it
        if (_options.AccountQuota > 0)
        {
            if (!_state.State.TryReserve(request.Size, _options.AccountQuota, _options.QuotaPeriod, _clock.GetUtcNow()))
            {
                throw new StanzaErrorException(UploadErrors.Quota);
            }

            await _state.SaveAsync();
        }

        _router.Route(await _slots.IssueAsync(iq, request));
    }

    private readonly struct Handler(UploadQuotaGrain grain) : IStanzaHandler
    {
        public ILogger Logger => grain._logger;

        public Task HandleAsync(Element stanza) => grain.IssueAsync(stanza);

        public void Reply(Element stanza, StanzaError error) => grain._router.Bounce(stanza, error);

        public void StaleState() => grain.DeactivateOnIdle();
    }
}
