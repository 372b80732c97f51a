#!/usr/bin/env python3
"""How long a cluster takes to declare a killed silo dead (Orleans:Clustering:Provider=AzureStorage or Redis).

Starts Azurite's table service (or redis-server) and two server processes (in-memory storage) as
one cluster on this machine, SIGKILLs the second once both are up, and prints the time from the
kill until the first logs the eviction. Usage, from the repository root after a Release build:
    bench/cluster-eviction.py [--redis] [src/Xmpp.Server/bin/Release/net10.0/Xmpp.Server.dll]
Needs `azurite-table` (npm install -g azurite) or `redis-server` (apt-get install redis-server).
Ports 25301-2, 11201-2, 30201-2 and a free one for the clustering service.
"""
import os, re, signal, socket, subprocess, sys, tempfile, threading, time

KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="  # Azurite's public development key
args = sys.argv[1:]
redis = "--redis" in args
args = [a for a in args if a != "--redis"]
server = args[0] if args else "src/Xmpp.Server/bin/Release/net10.0/Xmpp.Server.dll"

with socket.socket() as s:
    s.bind(("127.0.0.1", 0)); service_port = s.getsockname()[1]
if redis:
    service = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(service_port), "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
    provider, connection = "Redis", f"127.0.0.1:{service_port}"
else:
    service = subprocess.Popen(["azurite-table", "--tableHost", "127.0.0.1", "--tablePort", str(service_port), "--inMemoryPersistence", "--silent"])
    provider, connection = "AzureStorage", f"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={KEY};TableEndpoint=http://127.0.0.1:{service_port}/devstoreaccount1;"
time.sleep(2)
cluster = f"eviction{int(time.time())}"
lines = []

def start(i):
    p = subprocess.Popen(["dotnet", server, "--c2s-port", str(25300 + i), "--ws-port", "0", "--management-port", "0", "--Storage:Provider=InMemory",
                          f"--DataDirectory={tempfile.mkdtemp()}", f"--Orleans:SiloPort={11200 + i}", f"--Orleans:GatewayPort={30200 + i}",
                          f"--Orleans:Clustering:Provider={provider}", f"--Orleans:Clustering:ConnectionString={connection}",
                          "--Orleans:AdvertisedAddress=127.0.0.1", f"--Orleans:ClusterId={cluster}",
                          "--Logging:LogLevel:Orleans.Runtime.MembershipService=Information"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    threading.Thread(target=lambda: [lines.append((time.time(), i, l)) for l in p.stdout], daemon=True).start()
    return p

first = start(1); time.sleep(4); second = start(2); time.sleep(12)
killed = time.time(); os.kill(second.pid, signal.SIGKILL)
evicted = None
while evicted is None and time.time() < killed + 60:
    evicted = next((t for t, i, l in list(lines) if i == 1 and t >= killed and "Evicting" in l), None)
    time.sleep(0.01)
print(f"declared dead {evicted - killed:.2f} s after SIGKILL" if evicted else "not declared dead within 60 s")
first.terminate(); first.wait(); service.terminate()
sys.exit(0 if evicted else 1)
