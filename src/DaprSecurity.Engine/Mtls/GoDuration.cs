using System.Globalization;
using System.Text.RegularExpressions;

namespace DaprSecurity.Engine.Mtls;

/// <summary>Parses Go duration strings ("24h", "1h30m", "90s", "1.5h") as Dapr's Configuration fields use them (Go's time.ParseDuration).</summary>
internal static partial class GoDuration
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var match = text is null ? null : Pattern().Match(text.Trim());
        if (match is null || !match.Success)
        {
            return false;
        }

        var ticks = 0.0;
        for (var i = 0; i < match.Groups["number"].Captures.Count; i++)
        {
            var number = double.Parse(match.Groups["number"].Captures[i].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            ticks += number * UnitTicks(match.Groups["unit"].Captures[i].Value);
        }

        duration = TimeSpan.FromTicks((long)Math.Round(match.Groups["sign"].Value == "-" ? -ticks : ticks));
        return true;
    }

    private static double UnitTicks(string unit) => unit switch
    {
        "ns" => 0.01,
        "us" or "µs" or "μs" => 10,
        "ms" => TimeSpan.TicksPerMillisecond,
        "s" => TimeSpan.TicksPerSecond,
        "m" => TimeSpan.TicksPerMinute,
        _ => TimeSpan.TicksPerHour,
    };

    [GeneratedRegex(@"^(?<sign>[-+]?)(?:(?<zero>0)|(?<part>(?<number>\d+(?:\.\d*)?|\.\d+)(?<unit>ns|us|µs|μs|ms|s|m|h))+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
