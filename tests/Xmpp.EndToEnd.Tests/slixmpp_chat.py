"""A real client (slixmpp) against a running server: two accounts log in with SCRAM-SHA-256
over STARTTLS (verifying the server's certificate), fetch their rosters, subscribe to each
other, and exchange messages. Prints one JSON object describing what happened; exits non-zero
on failure or timeout.

usage: slixmpp_chat.py HOST PORT JID_A PASSWORD_A JID_B PASSWORD_B CA_FILE
"""
import asyncio
import json
import logging
import ssl
import sys

import slixmpp

TIMEOUT_SECONDS = 30


class Participant(slixmpp.ClientXMPP):
    def __init__(self, jid, password, ca_file, report):
        super().__init__(jid, password, sasl_mech="SCRAM-SHA-256")
        self.ssl_context = ssl.create_default_context(cafile=ca_file)
        self.report = report
        self.online = asyncio.get_event_loop().create_future()
        self.messages = asyncio.Queue()
        self.add_event_handler("session_start", self.on_session_start)
        self.add_event_handler("message", self.on_message)
        self.add_event_handler("failed_auth", lambda _: self.fail("authentication failed"))
        self.add_event_handler("connection_failed", lambda e: self.fail(f"connection failed: {e}"))

    def fail(self, reason):
        if not self.online.done():
            self.online.set_exception(RuntimeError(reason))

    async def on_session_start(self, _):
        roster = await self.get_roster()
        me = self.boundjid.bare
        self.report[me] = {
            "mechanism": self["feature_mechanisms"].mech.name,
            "tls": self.transport.get_extra_info("ssl_object") is not None,
            "roster_type": roster["type"],
        }
        self.send_presence()
        self.online.set_result(True)

    def on_message(self, message):
        if message["type"] in ("chat", "normal"):
            self.messages.put_nowait((str(message["from"].bare), message["body"]))


async def wait_for(condition, what):
    for _ in range(TIMEOUT_SECONDS * 10):
        if condition():
            return
        await asyncio.sleep(0.1)
    raise RuntimeError(f"timed out waiting for {what}")


async def main(host, port, jid_a, password_a, jid_b, password_b, ca_file):
    report = {}
    alice = Participant(jid_a, password_a, ca_file, report)
    bob = Participant(jid_b, password_b, ca_file, report)
    for client in (alice, bob):
        # force_starttls: refuse to go on without TLS.
        client.connect((host, int(port)), force_starttls=True)
    await asyncio.wait_for(asyncio.gather(alice.online, bob.online), TIMEOUT_SECONDS)

    # Bob's client accepts and reciprocates subscription requests (slixmpp's defaults).
    alice.send_presence_subscription(pto=jid_b)
    await wait_for(lambda: alice.client_roster[jid_b]["subscription"] == "both", "a mutual subscription")
    report["subscription"] = alice.client_roster[jid_b]["subscription"]

    alice.send_message(mto=jid_b, mbody="Hello Bob", mtype="chat")
    sender, body = await asyncio.wait_for(bob.messages.get(), TIMEOUT_SECONDS)
    bob.send_message(mto=sender, mbody=f"Re: {body}", mtype="chat")
    reply_from, reply = await asyncio.wait_for(alice.messages.get(), TIMEOUT_SECONDS)
    report["received_by_bob"] = [sender, body]
    report["received_by_alice"] = [reply_from, reply]

    for client in (alice, bob):
        client.disconnect()
    print(json.dumps(report))


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    try:
        asyncio.get_event_loop().run_until_complete(main(*sys.argv[1:8]))
    except Exception as error:  # report any failure as such, with a non-zero exit
        print(json.dumps({"error": repr(error)}))
        sys.exit(1)
