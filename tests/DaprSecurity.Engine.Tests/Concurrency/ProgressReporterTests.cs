using DaprSecurity.Engine.Concurrency;
using DaprSecurity.Engine.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace DaprSecurity.Engine.Tests.Concurrency;

public sealed class ProgressReporterTests
{
    [Fact]
    public void Reports_at_most_four_times_a_second_of_the_commands_clock_and_always_the_last_item()
    {
        var clock = new FakeTimeProvider();
        var host = new FakeEngineHost { Clock = clock };
        var progress = new ProgressReporter(host, "Writing", 5);

        progress.Advance("a");
        progress.Advance("b");
        clock.Advance(TimeSpan.FromMilliseconds(249));
        progress.Advance("c");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        progress.Advance("d");
        progress.Advance("e");

        Assert.Equal(new[] { "PROGRESS: Writing 1 of 5: a", "PROGRESS: Writing 4 of 5: d", "PROGRESS: Writing 5 of 5: e" }, host.Messages);
    }
}
