using DaprSecurity.Engine.Mtls;
using Xunit;

namespace DaprSecurity.Engine.Tests.Mtls;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData("24h", 24 * 3600.0)]
    [InlineData("15m", 900.0)]
    [InlineData("1h30m", 5400.0)]
    [InlineData("1.5h", 5400.0)]
    [InlineData("90s", 90.0)]
    [InlineData("500ms", 0.5)]
    [InlineData("0", 0.0)]
    [InlineData("-5m", -300.0)]
    [InlineData(" 2h ", 7200.0)]
    public void Parses_what_Go_time_ParseDuration_accepts(string text, double seconds)
    {
        Assert.True(GoDuration.TryParse(text, out var duration));
        Assert.Equal(seconds, duration.TotalSeconds, 6);
    }

    [Theory]
    [InlineData("")]
    [InlineData("24")]
    [InlineData("1d")]
    [InlineData("h")]
    [InlineData("1h 30m")]
    [InlineData("one hour")]
    [InlineData(null)]
    public void Rejects_what_Go_rejects(string? text) => Assert.False(GoDuration.TryParse(text, out _));
}
