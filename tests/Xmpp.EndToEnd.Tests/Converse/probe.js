// Starts Converse.js as a user would (WebSocket URL, JID, password, auto-login, OMEMO on by
// default) and adds a plugin that only watches: it records every stanza Converse sends and
// receives, opens a chat with the contact and bookmarks a room (what a user does by clicking),
// and, once OMEMO and bookmarks have settled or the deadline has passed, posts a report of the
// traffic, the console and Converse's own state to the test (POST /report).
(() => {
    const params = new URLSearchParams(location.search);
    const websocketUrl = params.get('ws');
    const jid = params.get('jid');
    const password = params.get('password');
    const contact = params.get('contact');
    const room = params.get('room');
    const deadline = Date.now() + Number(params.get('deadline_ms') ?? 30000);

    const traffic = [];
    const flags = { connected: false, omemoInitialized: false, bookmarksInitialized: false };

    // The first stanza of the other direction with the same id: the answer to a request.
    const answerTo = (request) =>
        traffic.find((s) => s.direction !== request.direction && s.element.getAttribute('id') === request.element.getAttribute('id')
            && ['result', 'error'].includes(s.element.getAttribute('type')));

    const isRequestSent = (s) =>
        s.direction === 'out' && s.element.nodeName === 'iq' && ['get', 'set'].includes(s.element.getAttribute('type'));

    const isBookmarksPublish = (s) =>
        s.direction === 'out' && [...s.element.getElementsByTagName('publish')]
            .some((p) => ['storage:bookmarks', 'urn:xmpp:bookmarks:1'].includes(p.getAttribute('node')));

    converse.plugins.add('e2e-probe', {
        initialize() {
            const { _converse } = this;
            const { api } = _converse;

            api.listen.on('connectionInitialized', () => {
                // Strophe calls these for every stanza on the WebSocket (Converse's own only log them).
                const connection = api.connection.get();
                connection.xmlInput = (element) => traffic.push({ direction: 'in', element: element.cloneNode(true) });
                connection.xmlOutput = (element) => traffic.push({ direction: 'out', element: element.cloneNode(true) });
            });
            api.listen.on('connected', () => { flags.connected = true; });
            api.listen.on('OMEMOInitialized', async () => {
                flags.omemoInitialized = true;
                // As a user clicking the contact in the roster: with omemo_default Converse then
                // checks whether the contact has OMEMO devices.
                await api.chats.open(contact);
            });
            api.listen.on('bookmarksInitialized', async () => {
                flags.bookmarksInitialized = true;
                await api.bookmarks.set({ jid: room, name: 'End-to-end room', autojoin: false, nick: 'e2e' });
            });

            const deviceIds = (owner) =>
                _converse.state.devicelists?.get(owner)?.devices?.map((d) => d.get('id')) ?? [];

            // Settled: OMEMO and bookmarks are up, the contact's devices are known, the bookmark
            // is published, and no request of Converse's is waiting for the server.
            const settled = () =>
                flags.omemoInitialized && flags.bookmarksInitialized
                && deviceIds(contact).length > 0
                && traffic.some((s) => isBookmarksPublish(s) && answerTo(s))
                && traffic.filter(isRequestSent).every(answerTo);

            const report = async (timedOut) => {
                // Taken at once, before anything is awaited, so no stanza after the check slips in.
                const bare = _converse.session?.get('bare_jid') ?? null;
                const snapshot = {
                    timedOut,
                    ownJid: bare,
                    ownDevices: bare ? deviceIds(bare) : [],
                    flags: { ...flags },
                    ownDeviceId: _converse.state.omemo_store?.get('device_id')?.toString() ?? null,
                    contactDevices: deviceIds(contact),
                    bookmarks: _converse.state.bookmarks?.map((b) => b.get('jid')) ?? [],
                    console: [...window.e2eConsole],
                    traffic: traffic.map((s) => ({ direction: s.direction, xml: s.element.outerHTML })),
                };
                return {
                    ...snapshot,
                    pepIdentity: bare ? Boolean(await api.disco.getIdentity('pubsub', 'pep', bare)) : null,
                };
            };

            const waitAndReport = async () => {
                while (!settled() && Date.now() < deadline) {
                    await new Promise((resolve) => setTimeout(resolve, 100));
                }
                const body = JSON.stringify(await report(!settled()));
                await fetch('/report', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
            };
            waitAndReport();
        },
    });

    converse.initialize({
        websocket_url: websocketUrl,
        jid,
        password,
        auto_login: true,
        omemo_default: true,
        discover_connection_methods: false,
        view_mode: 'fullscreen',
        loglevel: 'info',
        play_sounds: false,
        show_desktop_notifications: false,
        whitelisted_plugins: ['e2e-probe'],
    });
})();
