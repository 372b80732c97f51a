"""A real client (slixmpp) against a running server: two accounts log in with SCRAM-SHA-256
over STARTTLS (verifying the server's certificate), fetch their rosters, subscribe to each
other, and exchange messages. Prints one JSON object describing what happened; exits non-zero
on failure or timeout.

usage: slixmpp_chat.py HOST PORT JID_A PASSWORD_A JID_B PASSWORD_B CA_FILE
"""
import asyncio
import sys

from slixmpp_session import TIMEOUT_SECONDS, Session, log_in, run, wait_for


class Participant(Session):
    def __init__(self, jid, password, ca_file, report):
        super().__init__(jid, password, ca_file)
        self.report = report
        self.messages = asyncio.Queue()
        self.add_event_handler("message", self.on_message)

    async def session_started(self):
        roster = await self.get_roster()
        self.report[self.boundjid.bare] = {
            "mechanism": self["feature_mechanisms"].mech.name,
            "tls": self.transport.get_extra_info("ssl_object") is not None,
            "roster_type": roster["type"],
        }

    def on_message(self, message):
        if message["type"] in ("chat", "normal"):
            self.messages.put_nowait((str(message["from"].bare), message["body"]))


async def main(host, port, jid_a, password_a, jid_b, password_b, ca_file):
    report = {}
    alice = Participant(jid_a, password_a, ca_file, report)
    bob = Participant(jid_b, password_b, ca_file, report)
    await log_in(host, port, alice, bob)

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
    return report


if __name__ == "__main__":
    run(main, sys.argv[1:8], overall_timeout=90)
