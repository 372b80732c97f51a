"""A real client (slixmpp, with its XEP-0313, XEP-0059, XEP-0045 and XEP-0359 plugins) reads
message archives: two accounts log in with SCRAM-SHA-256 over STARTTLS and chat; each then pages
through its own archive forwards and backwards; the first creates a room and talks in it, and the
second reads the room's archive. Prints one JSON object describing what it saw; exits non-zero on
failure or timeout.

usage: slixmpp_mam.py HOST PORT JID_A PASSWORD_A JID_B PASSWORD_B CA_FILE ROOM
"""
import asyncio
import sys

import slixmpp
from slixmpp_session import TIMEOUT_SECONDS, Session, log_in, run

MESSAGES = 25


class Client(Session):
    def __init__(self, jid, password, ca_file):
        super().__init__(jid, password, ca_file, plugins=("xep_0030", "xep_0045", "xep_0059", "xep_0313", "xep_0359"))
        self.received = asyncio.Queue()
        self.add_event_handler("message", self.on_message)

    def on_message(self, message):
        if message["type"] == "chat" and message["body"]:
            self.received.put_nowait(message)


async def bodies(client, **query):
    return [m["mam_result"]["forwarded"]["stanza"]["body"] async for m in client["xep_0313"].iterate(**query)]


async def main(host, port, jid_a, password_a, jid_b, password_b, ca_file, room):
    alice, bob = Client(jid_a, password_a, ca_file), Client(jid_b, password_b, ca_file)
    await log_in(host, port, alice, bob)
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
    return report


if __name__ == "__main__":
    run(main, sys.argv[1:9], overall_timeout=90)
