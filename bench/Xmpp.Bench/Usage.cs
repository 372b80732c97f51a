namespace Xmpp.Bench;

internal static class Usage
{
    public const string Text = """
        xmpp-bench COMMAND [--name value]...

        Target (every command): --host 127.0.0.1 (loopback only) --port 5222 (or 5222,5223: user i
          connects to the i-th port modulo their count) --domain localhost
          --user-prefix bench --password bench --mech SCRAM-SHA-1,PLAIN (preference order)
          --muc-domain conference.<domain>
        Measurement: --server-pid PID[,PID…] (CPU from /proc/PID/stat, RSS from /proc/PID/status, summed)
          --server-name NAME --rep N --label NAME --out results.jsonl --timeout 600 (seconds, hard stop)

        login     --n 1000 --c 50 [--warmup N (unmeasured pass first, default n)]
        chat      --pairs 100 --w 10 --duration 20 --warmup 2   |   --rate 2000 (fixed total msgs/s)
                  [--flooders N (N more accounts flood one more meanwhile, as fast as the server reads them)]
        muc       --occupants 50 --senders 5 --w 10 --duration 20 --warmup 2 [--rate R] [--room name]
        idle      --n 2000 --c 50 --settle 10 [--hibernate true (XEP-0198: resumable sessions that drop their connections)]
        pep-fanout    --contacts 1000 --publishes 200 --warmup 3 --c 50 --publish-timeout 10 --setup-timeout 600
                      --caps-first true (false: every contact announces its caps at once, the hash unknown)
                      (user first-user publishes, the next N are its contacts: give them a prefix of their own)
        pubsub-fanout --subscribers 10000 --publishes 50 --warmup 3 --c 50 --publish-timeout 30
                      --owner admin --node bench --pubsub-domain pubsub.<domain>
        register  --n 2000 --c 20 [--first-user 1] | --name NAME   (XEP-0077 in-band registration, for peers)
        report    --in results.jsonl --out docs/BENCHMARKS.md --machine machine.txt --commands commands.txt
        """;
}
