"""What the slixmpp end-to-end scripts share: a client that logs in with SCRAM-SHA-256 over
STARTTLS only (verifying the server's certificate against CA_FILE), sends its initial presence and
reports a failed login; waiting for a condition; and how a script runs and reports (one JSON
object, non-zero on failure)."""
import asyncio
import json
import logging
import ssl
import sys

import slixmpp

TIMEOUT_SECONDS = 30


class Session(slixmpp.ClientXMPP):
    def __init__(self, jid, password, ca_file, plugins=()):
        super().__init__(jid, password, sasl_mech="SCRAM-SHA-256")
        self.ssl_context = ssl.create_default_context(cafile=ca_file)
        for plugin in plugins:
            self.register_plugin(plugin)
        self.online = asyncio.get_event_loop().create_future()
        self.add_event_handler("session_start", self._on_session_start)
        self.add_event_handler("failed_auth", lambda _: self._fail("authentication failed"))
        self.add_event_handler("connection_failed", lambda e: self._fail(f"connection failed: {e}"))

    def _fail(self, reason):
        if not self.online.done():
            self.online.set_exception(RuntimeError(reason))

    async def _on_session_start(self, _):
        await self.session_started()
        self.send_presence()
        self.online.set_result(True)

    async def session_started(self):
        """What a script does once logged in, before the initial presence."""


async def wait_for(condition, what):
    """Polls condition() until it holds, for at most TIMEOUT_SECONDS."""
    for _ in range(TIMEOUT_SECONDS * 10):
        if condition():
            return
        await asyncio.sleep(0.1)
    raise RuntimeError(f"timed out waiting for {what}")


async def log_in(host, port, *clients):
    for client in clients:
        client.connect((host, int(port)), force_starttls=True)  # refuse to go on without TLS
    await asyncio.wait_for(asyncio.gather(*(c.online for c in clients)), TIMEOUT_SECONDS)


def run(main, arguments, overall_timeout):
    """Runs main(*arguments) and prints its report; a failure is reported as such, with a non-zero exit."""
    logging.basicConfig(level=logging.WARNING)
    try:
        report = asyncio.get_event_loop().run_until_complete(asyncio.wait_for(main(*arguments), overall_timeout))
        print(json.dumps(report))
    except Exception as error:
        print(json.dumps({"error": repr(error)}))
        sys.exit(1)
