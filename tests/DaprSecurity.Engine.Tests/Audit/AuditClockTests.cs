using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Audit;
using DaprSecurity.Engine.Tests.Infrastructure;
using DaprSecurity.Output;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace DaprSecurity.Engine.Tests.Audit;

/// <summary>The audit's "now" (suppression expiry, token age) is the host's clock, not the machine's.</summary>
public sealed class AuditClockTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Theory]
    [InlineData("2027-03-31T23:59:00Z", DaprAuditOutcome.Suppressed)]
    [InlineData("2027-04-01T00:00:00Z", DaprAuditOutcome.Fail)]
    public void A_suppression_expires_by_the_hosts_clock(string now, DaprAuditOutcome outcome)
    {
        _folder.Write("component.yaml", "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {name: statestore, namespace: shop}\nspec: {type: state.redis, version: v1}\n");
        var suppressions = _folder.Write("suppressions.txt", "suppressions:\n- ruleId: DAPR-SCOPE-001\n  reason: Scoped by the gateway; OPS-1\n  expires: 2027-03-31\n");
        var host = new FakeEngineHost { Clock = new FakeTimeProvider(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)) };

        var results = new SecurityAuditService().AuditFilesAsync(new[] { _folder.Path + "/component.yaml" }, new DaprAuditOptions { SuppressionPath = suppressions }, host, CancellationToken.None).ToBlockingEnumerable().ToList();

        Assert.Equal(outcome, results.Single(r => r.RuleId == "DAPR-SCOPE-001").Outcome);
    }

    public void Dispose() => _folder.Dispose();
}
