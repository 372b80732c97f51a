using System.Text.Json;
using Xmpp.Bench;
using Xmpp.Bench.Metrics;
using Xmpp.Bench.Net;
using Xmpp.Bench.Scenarios;

// xmpp-bench <login|chat|muc|idle|pep-fanout|pubsub-fanout|register|report> --name value …  (see bench/README.md)
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine(Usage.Text);
    return 2;
}

var command = args[0];
var options = new Options(args[1..]);
using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(options.Double("timeout", 600)));

if (command == "report")
{
    ReportWriter.Write(options);
    return 0;
}

var target = options.Target();
var errors = new ErrorLog();

if (command == "register")
{
    // --name NAME: one account outside the numbered ones (the pubsub service's administrator).
    var registered = options.String("name", string.Empty) is { Length: > 0 } name
        ? await Registration.RunAsync(target, [(name, target.Endpoints[0])], 1, errors, deadline.Token)
        : await Registration.RunAsync(target, options.Int("first-user", 1), options.Int("n", 2000), options.Int("c", 20), errors, deadline.Token);
    Console.WriteLine($"registered {registered} new accounts; errors: {JsonSerializer.Serialize(Collect(errors).Counters)}");
    return 0;
}

var server = new ServerProcess(options.Ints("server-pid", 0));
var result = new ScenarioResult
{
    Scenario = options.String("label", command),
    Server = options.String("server-name", "server"),
    Repetition = options.Int("rep", 1),
    Command = "xmpp-bench " + string.Join(' ', args),
    Started = DateTimeOffset.UtcNow,
};

Func<Target, ServerProcess, Options, ScenarioResult, ErrorLog, CancellationToken, Task> scenario = command switch
{
    "login" => LoginScenario.RunAsync,
    "chat" => ChatScenario.RunAsync,
    "muc" => MucScenario.RunAsync,
    "idle" => IdleScenario.RunAsync,
    "pep-fanout" => PepFanoutScenario.RunAsync,
    "pubsub-fanout" => PubSubFanoutScenario.RunAsync,
    _ => throw new ArgumentException($"unknown command '{command}'\n{Usage.Text}"),
};

try
{
    await scenario(target, server, options, result, errors, deadline.Token);
}
catch (OperationCanceledException) when (deadline.IsCancellationRequested)
{
    errors.Count("scenario-timeout");
}
catch (Exception e) when (e is BenchProtocolException or TimeoutException or System.Net.Sockets.SocketException)
{
    // A scenario that cannot go on still writes its line: what it measured, and why it stopped.
    errors.Count("scenario-failed", e);
}

errors.CopyTo(result);
var line = JsonSerializer.Serialize(result, ScenarioResult.Json);
Console.WriteLine(line);
if (options.String("out", string.Empty) is { Length: > 0 } outFile)
{
    await File.AppendAllTextAsync(outFile, line + Environment.NewLine);
}

return 0;

static ScenarioResult Collect(ErrorLog errors)
{
    var r = new ScenarioResult();
    errors.CopyTo(r);
    return r;
}
