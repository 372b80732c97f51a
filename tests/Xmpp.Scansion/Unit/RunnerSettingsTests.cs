using Xmpp.Scansion.Running;

namespace Xmpp.Scansion.Unit;

public sealed class RunnerSettingsTests
{
    [Fact]
    public void DefaultsAreTheSpecValues()
    {
        var settings = new RunnerSettings();
        Assert.Equal(TimeSpan.FromSeconds(5), settings.ReceiveTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.NothingWait);
        Assert.Equal(TimeSpan.FromMilliseconds(50), settings.SendPause);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.DisconnectWait);
        Assert.Null(settings.Target);
    }

    [Fact]
    public void ParsesTargets()
    {
        Assert.Equal(("127.0.0.1", 5222), RunnerSettings.ParseTarget("127.0.0.1:5222"));
        Assert.Equal(("::1", 5222), RunnerSettings.ParseTarget("[::1]:5222"));
        Assert.Throws<FormatException>(() => RunnerSettings.ParseTarget("localhost"));
        Assert.Throws<FormatException>(() => RunnerSettings.ParseTarget("localhost:0"));
    }
}
