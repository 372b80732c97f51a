using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Xmpp.Gateway.Tests;

/// <summary>One read of a server's <c>/metrics</c> (Prometheus text format), with its samples looked up by name and labels.</summary>
internal sealed partial class MetricsScrape
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    private MetricsScrape(string text)
    {
        Text = text;
        foreach (var line in text.Split('\n'))
        {
            if (Sample().Match(line) is { Success: true } sample)
            {
                var labels = Label().Matches(sample.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
                _samples.Add((sample.Groups["name"].Value, labels, double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture)));
            }
        }
    }

    public string Text { get; }

    public static async Task<MetricsScrape> ReadAsync(IPEndPoint management)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{management.Port}/metrics"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new MetricsScrape(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The value of the one sample of <paramref name="name"/> that has these labels (among others), or null.</summary>
    public double? Value(string name, params (string Name, string Value)[] labels)
    {
        var matches = _samples.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Name) == l.Value)).ToList();
        Assert.True(matches.Count <= 1, $"{matches.Count} samples of {name} match");
        return matches.Count == 1 ? matches[0].Value : null;
    }

    public bool HasSeries(string prefix) => _samples.Any(s => s.Name.StartsWith(prefix, StringComparison.Ordinal));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>[^\s]+)")]
    private static partial Regex Sample();

    [GeneratedRegex(@"(\w+)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex Label();
}
