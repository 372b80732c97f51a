"""A real client (slixmpp, with its XEP-0313, XEP-0059, XEP-0045 and XEP-0359 plugins) reads
message archives: two accounts log in with SCRAM-SHA-256 over STARTTLS and chat; each then pages
through its own archive forwards and backwards; the first creates a room and talks in it, and the
second reads the room's archive. Prints one JSON object describing what it saw; exits non-zero on
failure or timeout.

usage: slixmpp_mam.py HOST PORT JID_A PASSWORD_A JID_B PASSWORD_B CA_FILE ROOM
"""
import asyncio
import json
import logging
import ssl
import sys

import slixmpp

TIMEOUT_SECONDS = 30
MESSAGES = 25


class Client(slixmpp.ClientXMPP):
    def __init__(self, jid, password, ca_file):
        super().__init__(jid, password, sasl_mech="SCRAM-SHA-256")
        self.ssl_context = ssl.create_default_context(cafile=ca_file)
        for plugin in ("xep_0030", "xep_0045", "xep_0059", "xep_0313", "xep_0359"):
            self.register_plugin(plugin)
        self.online = asyncio.get_event_loop().create_future()
        self.received = asyncio.Queue()
        self.add_event_handler("session_start", self.on_session_start)
        self.add_event_handler("message", self.on_message)
        self.add_event_handler("failed_auth", lambda _: self.fail("authentication failed"))

    def fail(self, reason):
        if not self.online.done():
            self.online.set_exception(RuntimeError(reason))

    async def on_session_start(self, _):
        self.send_presence()
        self.online.set_result(True)

    def on_message(self, message):
        if message["type"] == "chat" and message["body"]:
            self.received.put_nowait(message)


async def bodies(client, **query):
    return [m["mam_result"]["forwarded"]["stanza"]["body"] async for m in client["xep_0313"].iterate(**query)]


async def main(host, port, jid_a, password_a, jid_b, password_b, ca_file, room):
    alice, bob = Client(jid_a, password_a, ca_file), Client(jid_b, password_b, ca_file)
    for client in (alice, bob):
        client.connect((host, int(port)), force_starttls=True)
    await asyncio.wait_for(asyncio.gather(alice.online, bob.online), TIMEOUT_SECONDS)
    report = {}

    info = await alice["xep_0030"].get_info(jid=alice.boundjid.bare)
    report["account_features"] = [f for f in info["disco_info"]["features"] if f.startswith("urn:xmpp:mam") or f.startswith("urn:xmpp:sid")]

    stanza_ids = []
    for i in range(MESSAGES):
        alice.send_message(mto=jid_b, mbody=f"chat {i}", mtype="chat")
        message = await asyncio.wait_for(bob.received.get(), TIMEOUT_SECONDS)
        stanza_ids.append(message["stanza_id"]["by"])
    report["stanza_id_by"] = sorted(set(stanza_ids))

    # Pages of 10 forwards and backwards through both parties' archives.
    report["alice_forwards"] = await bodies(alice, with_jid=slixmpp.JID(jid_b), rsm={"max": 10})
    report["alice_backwards"] = await bodies(alice, reverse=True, rsm={"max": 10})
    report["bob_total"] = len(await bodies(bob, rsm={"max": 10}))

    # A room: alice creates it (an instant room), talks; bob, outside the room, reads its archive.
    await alice["xep_0045"].join_muc_wait(slixmpp.JID(room), "alice", maxstanzas=0, timeout=TIMEOUT_SECONDS)
    form = await alice["xep_0045"].get_room_config(slixmpp.JID(room))
    form["type"] = "submit"
    await alice["xep_0045"].set_room_config(slixmpp.JID(room), form)
    for i in range(3):
        alice.send_message(mto=room, mbody=f"room {i}", mtype="groupchat")
    await asyncio.sleep(1)
    report["room_archive"] = await bodies(bob, jid=slixmpp.JID(room), rsm={"max": 2})

    for client in (alice, bob):
        client.disconnect()
    print(json.dumps(report))


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    try:
        asyncio.get_event_loop().run_until_complete(asyncio.wait_for(main(*sys.argv[1:9]), 90))
    except Exception as error:  # report any failure as such, with a non-zero exit
        print(json.dumps({"error": repr(error)}))
        sys.exit(1)
