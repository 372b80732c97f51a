#!/usr/bin/env python3
"""A second measurement of the fan-out scenarios, independent of xmpp-bench's code and clock.

Its own XMPP client (asyncio sockets, ElementTree's pull parser, SASL PLAIN) and its own CPU
reading (/proc/PID/task/*/schedstat: nanoseconds on CPU of every thread, where xmpp-bench reads
the process's utime+stime ticks). It counts every copy of every event each recipient gets, and to
which address (bare or full JID) it came, which xmpp-bench does not record.

    bench/fanout-cross-check.py pep    PORT PID [CONTACTS=50] [ITEMS=20]
    bench/fanout-cross-check.py pubsub PORT PID [SUBSCRIBERS=1000] [ITEMS=20]

pep: accounts pep1 (publisher) and pep2.. (contacts), whose rosters a pep-fanout run has made
mutual; each contact's presence carries caps (XEP-0115) asking for nick+notify. pubsub: admin
creates node "xcheck" on pubsub.localhost, bench1.. subscribe with their full JIDs. Items are
published one at a time, the next when every recipient has the last one (10 s at most). Password
"bench"; loopback only; the server must allow PLAIN without TLS (the bench/anchors configs do).
"""
import asyncio, base64, glob, hashlib, sys, time
import xml.etree.ElementTree as ET

HOST, DOMAIN, PASSWORD = "127.0.0.1", "localhost", "bench"
NICK = "http://jabber.org/protocol/nick"
CAPS_NODE = "https://xmpp-bench.invalid/cross-check"
FEATURES = sorted(["http://jabber.org/protocol/caps", "http://jabber.org/protocol/disco#info", NICK, NICK + "+notify"])
IDENTITY = ("client", "pc", "", "fanout-cross-check")
VER = base64.b64encode(hashlib.sha1(("/".join(IDENTITY) + "<" + "".join(f + "<" for f in FEATURES)).encode()).digest()).decode()
C, DISCO = "{jabber:client}", "{http://jabber.org/protocol/disco#info}"


def cpu_ns(pid):
    """Nanoseconds on CPU of all the process's threads (the first field of each schedstat)."""
    total = 0
    for f in glob.glob(f"/proc/{pid}/task/*/schedstat"):
        try:
            total += int(open(f).read().split()[0])
        except (OSError, ValueError):
            pass  # a thread that ended meanwhile
    return total


class Client:
    def __init__(self, port, user, resource):
        self.port, self.user, self.resource = port, user, resource
        self.waiting, self.on_message, self.caps = {}, None, False
        self.disco_queries = 0

    async def login(self):
        self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        features = await self.open_stream()
        assert any(m.text == "PLAIN" for m in features.iter("{urn:ietf:params:xml:ns:xmpp-sasl}mechanism")), "no PLAIN"
        token = base64.b64encode(f"\0{self.user}\0{PASSWORD}".encode()).decode()
        self.send(f"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{token}</auth>")
        reply = await self.next()
        assert reply.tag.endswith("success"), ET.tostring(reply)
        features = await self.open_stream()
        self.send(f"<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>{self.resource}</resource></bind></iq>")
        bound = await self.next()
        self.jid = bound.find(".//{urn:ietf:params:xml:ns:xmpp-bind}jid").text
        session = features.find("{urn:ietf:params:xml:ns:xmpp-session}session")
        if session is not None and session.find("{urn:ietf:params:xml:ns:xmpp-session}optional") is None:
            self.send("<iq type='set' id='sess'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>")
            await self.next()
        self.task = asyncio.ensure_future(self.receive())

    async def open_stream(self):
        self.parser, self.depth = ET.XMLPullParser(events=("start", "end")), 0
        self.send(f"<?xml version='1.0'?><stream:stream to='{DOMAIN}' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>")
        return await self.next()

    def send(self, xml):
        self.writer.write(xml.encode())

    async def next(self):
        """The next child of the stream root."""
        while True:
            for event, element in self.parser.read_events():
                self.depth += 1 if event == "start" else -1
                if event == "end" and self.depth == 1:
                    return element
            data = await self.reader.read(65536)
            if not data:
                raise EOFError(self.user)
            self.parser.feed(data)

    async def query(self, id, xml):
        answer = self.waiting[id] = asyncio.get_running_loop().create_future()
        self.send(xml)
        return await asyncio.wait_for(answer, 60)

    async def receive(self):
        while True:
            element = await self.next()
            kind, id = element.tag[len(C):], element.get("id")
            if kind == "message" and self.on_message:
                self.on_message(self, element)
                element.clear()  # the stream root keeps its children: keep them small
            elif kind == "iq" and element.get("type") in ("result", "error") and id in self.waiting:
                self.waiting.pop(id).set_result(element)
            elif kind == "iq" and element.get("type") == "get" and element.find(DISCO + "query") is not None and self.caps:
                self.disco_queries += 1
                node = element.find(DISCO + "query").get("node")
                features = "".join(f"<feature var='{f}'/>" for f in FEATURES)
                self.send(f"<iq type='result' to='{element.get('from')}' id='{id}'><query xmlns='http://jabber.org/protocol/disco#info'"
                          + (f" node='{node}'" if node else "") + f"><identity category='client' type='pc' name='{IDENTITY[3]}'/>{features}</query></iq>")


async def login_all(port, users, resource):
    clients = [Client(port, u, resource) for u in users]
    for i in range(0, len(clients), 50):
        await asyncio.gather(*(c.login() for c in clients[i:i + 50]))
    return clients


async def main(mode, port, pid, n, items):
    run = str(int(time.time() * 1000))
    if mode == "pep":
        publisher, = await login_all(port, ["pep1"], "xcheck")
        recipients = await login_all(port, [f"pep{i}" for i in range(2, n + 2)], "xcheck")
        publisher.send("<presence/>")
        for c in recipients:
            c.caps = True
            c.send(f"<presence><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='{CAPS_NODE}' ver='{VER}'/></presence>")
        await asyncio.sleep(3)  # the servers' disco#info queries and their answers
        target, node = "", NICK
        payload = lambda text: f"<nick xmlns='{NICK}'>{text}</nick>"
    else:
        publisher, = await login_all(port, ["admin"], "xcheck")
        recipients = await login_all(port, [f"bench{i}" for i in range(1, n + 1)], "xcheck")
        for c in recipients:
            c.send("<presence/>")
        target, node = " to='pubsub.localhost'", "xcheck"
        await publisher.query("create", f"<iq type='set'{target} id='create'><pubsub xmlns='http://jabber.org/protocol/pubsub'><create node='{node}'/></pubsub></iq>")
        for i in range(0, len(recipients), 50):
            await asyncio.gather(*(c.query("sub", f"<iq type='set'{target} id='sub'><pubsub xmlns='http://jabber.org/protocol/pubsub'><subscribe node='{node}' jid='{c.jid}'/></pubsub></iq>")
                                   for c in recipients[i:i + 50]))
        payload = lambda text: f"<entry xmlns='urn:xmpp-bench'>{text}</entry>"

    copies, to_bare, to_full, done = {}, 0, 0, {}

    def on_message(client, message):
        nonlocal to_bare, to_full
        text = "".join(message.itertext())
        if f"XCHECK {run} " not in text:
            return  # an earlier item, sent again on presence or subscription
        item = int(text.split(f"XCHECK {run} ")[1].split()[0])
        key = (client.user, item)
        copies[key] = copies.get(key, 0) + 1
        if "/" in message.get("to", ""):
            to_full += 1
        else:
            to_bare += 1
        if copies[key] == 1:
            done[item] = done.get(item, 0) + 1
            if done[item] == len(recipients):
                finished[item].set_result(time.perf_counter())

    for c in recipients:
        c.on_message = on_message
    finished = [asyncio.get_running_loop().create_future() for _ in range(items)]
    times = []
    cpu0 = cpu_ns(pid)
    for item in range(items):
        start = time.perf_counter()
        await publisher.query(f"p{item}", f"<iq type='set'{target} id='p{item}'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='{node}'>"
                                          f"<item id='x{run}-{item}'>{payload(f'XCHECK {run} {item} end')}</item></publish></pubsub></iq>")
        try:
            times.append(await asyncio.wait_for(finished[item], 10) - start)
        except asyncio.TimeoutError:
            times.append(float("nan"))
    cpu = (cpu_ns(pid) - cpu0) / 1e9
    unique = sum(done.values())
    total = sum(copies.values())
    times.sort()
    print(f"{mode}: {len(recipients)} recipients, {items} items; unique deliveries {unique} of {len(recipients) * items}, copies {total} "
          f"(to bare JID {to_bare}, to full JID {to_full}); server CPU {cpu:.2f} s = {cpu * 1e6 / max(unique, 1):.1f} us per unique delivery, "
          f"{cpu * 1e6 / max(total, 1):.1f} us per copy; time to all p50 {times[len(times) // 2] * 1000:.1f} ms, max {times[-1] * 1000:.1f} ms; "
          f"disco#info queries {sum(c.disco_queries for c in recipients)}")
    for c in [publisher, *recipients]:
        c.writer.close()


if __name__ == "__main__":
    a = sys.argv[1:]
    if len(a) < 3 or a[0] not in ("pep", "pubsub"):
        sys.exit(__doc__)
    asyncio.run(main(a[0], int(a[1]), int(a[2]), int(a[3]) if len(a) > 3 else (50 if a[0] == "pep" else 1000), int(a[4]) if len(a) > 4 else 20))
