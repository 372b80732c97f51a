using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Xmpp.Deploy.Tests;

/// <summary>
/// No Docker engine runs here, so the image itself is not built: its publish command is run into a
/// temporary folder that stands for the image's working folder, and the result is started as the
/// entry point starts it, with the image's ENV settings (paths in the working folder moved to the
/// temporary one). Storage, clustering and ports are the test's own: in memory, one process, free
/// loopback ports. It must serve c2s with STARTTLS, which also shows its data folder is writable
/// (the self-signed certificate is written there), and say it is ready on its management port.
/// </summary>
public sealed class DockerfileTests
{
    private static readonly Dockerfile Image = Dockerfile.Read(Path.Combine(Repository.Infra, "Dockerfile"));

    [Fact]
    public async Task The_published_server_starts_with_the_image_settings_and_offers_starttls()
    {
        var container = Path.Combine(Path.GetTempPath(), "xmpp-deploy-tests", Guid.NewGuid().ToString("N"));
        try
        {
            await PublishAsync(container);
            var environment = Image.Environment.ToDictionary(e => e.Key, e => InContainer(e.Value, container));

            using var server = Start(container, environment);
            var c2s = await server.C2sEndpoint.WaitAsync(TimeSpan.FromSeconds(60));
            var features = await StreamFeaturesAsync(c2s);

            Assert.Contains("<starttls", features, StringComparison.Ordinal);
            using var http = new HttpClient();
            using var ready = await http.GetAsync(new Uri($"http://{await server.ManagementEndpoint.WaitAsync(TimeSpan.FromSeconds(10))}/readyz"));
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode); // what the container app's readiness probe asks
            Assert.True(
                environment.TryGetValue("DataDirectory", out var data) && Directory.EnumerateFiles(data, "*.pfx").Any(),
                $"The image's data folder holds no generated certificate: {server.Output}");
        }
        finally
        {
            if (Directory.Exists(container))
            {
                Directory.Delete(container, recursive: true);
            }
        }
    }

    /// <summary>The Dockerfile's command from the repository root (its build stage copies the repository to its working folder), into <paramref name="output"/>.</summary>
    private static async Task PublishAsync(string output)
    {
        var words = Image.Publish.ToList();
        var o = words.IndexOf("-o");
        Assert.True(o > 0 && o + 1 < words.Count, $"The Dockerfile's publish command names no -o folder: {string.Join(' ', words)}");
        words[o + 1] = output;

        var start = new ProcessStartInfo(words[0]) { WorkingDirectory = Repository.Root };
        foreach (var word in words.Skip(1))
        {
            start.ArgumentList.Add(word);
        }

        var (exitCode, stdout, stderr) = await ProcessRun.ToEndAsync(start, TimeSpan.FromMinutes(5));
        Assert.True(exitCode == 0, $"{string.Join(' ', words)} exited {exitCode}:\n{stdout}\n{stderr}");
    }

    /// <summary>A path in the image's working folder, moved to the folder that stands for it here.</summary>
    private static string InContainer(string value, string container) =>
        value == Image.WorkingFolder || value.StartsWith(Image.WorkingFolder + "/", StringComparison.Ordinal)
            ? container + value[Image.WorkingFolder.Length..]
            : value;

    private static ServerProcess Start(string container, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(Image.EntryPoint[0]) { WorkingDirectory = container };
        foreach (var word in Image.EntryPoint.Skip(1))
        {
            start.ArgumentList.Add(word);
        }

        foreach (var test in new[]
        {
            "--c2s-port", "0", "--ws-port", "-1", "--management-port", "-1", "--Gateway:ListenAddress=127.0.0.1", "--Management:ListenAddress=127.0.0.1",
            "--Storage:Provider=InMemory",
            "--Orleans:Clustering:Provider=Localhost", "--Orleans:SiloPort=0", "--Orleans:GatewayPort=0",
        })
        {
            start.ArgumentList.Add(test);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new ServerProcess(start);
    }

    /// <summary>Opens a stream as a client does and returns what the server answers up to its features.</summary>
    private static async Task<string> StreamFeaturesAsync(IPEndPoint c2s)
    {
        using var client = new TcpClient();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await client.ConnectAsync(c2s, deadline.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(
            "<?xml version='1.0'?><stream:stream to='localhost' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"), deadline.Token);

        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (!received.ToString().Contains("</stream:features>", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, deadline.Token);
            Assert.True(read > 0, $"The server closed the stream before its features: {received}");
            received.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return received.ToString();
    }
}
