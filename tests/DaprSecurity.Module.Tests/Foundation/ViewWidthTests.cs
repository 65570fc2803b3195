using DaprSecurity.Module.Tests.Infrastructure;

namespace DaprSecurity.Module.Tests.Foundation;

/// <summary>Every default table view shows its key columns within 80 characters (what CI logs get), and at 120.</summary>
public sealed class ViewWidthTests : IClassFixture<ClusterFixture>, IDisposable
{
    private readonly PowerShellSession _session;

    public ViewWidthTests(ClusterFixture cluster) => _session = cluster.NewSession();

    public static TheoryData<string, string> Views => new()
    {
        { "Get-DaprContext", "IsCurrent Name DefaultNamespace User AuthKind" },
        { "Get-DaprNamespace", "Name Status DaprWorkloads AppTokenSecret ApiTokenSecret" },
        { "Get-DaprDeployment", "Namespace Kind Name AppId Ready TokenStale" },
        { "Get-DaprTokenSecret", "Namespace SecretName Status Fingerprint Consumers" },
        { "Get-DaprControlPlane", "Name Namespace Healthy Ready Version Status" },
        { "Get-DaprCertificate", "Role Subject NotAfter DaysUntilExpiry" },
        { "Test-DaprMtls", "Context Namespace Verdict Failed Warnings" },
        { "(Test-DaprMtls).Checks", "Name Result Detail" },
        { "Get-DaprComponentScope", "Namespace Name Type IsScoped Scopes" },
        { "Get-DaprAccessMatrix", "Namespace AppId Component Access Reason" },
        { "New-DaprAppToken", "Kind Format Algorithm Fingerprint ExpiresAt" },
        { "New-DaprAppToken | Set-DaprTokenSecret -Namespace team-a -PassThru -WhatIf:$false", "Namespace SecretName Kind Fingerprint Action" },
        { "Restart-DaprDeployment -Namespace team-a", "Namespace Kind Name Status Message" },
    };

    [Theory]
    [MemberData(nameof(Views))]
    public void Key_columns_fit_on_one_line_at_80_and_120_columns(string command, string columns)
    {
        foreach (var width in new[] { 80, 120 })
        {
            _session.Run($"$Host.UI.RawUI.BufferSize = [System.Management.Automation.Host.Size]::new({width}, 1000)").ThrowOnError();
            var lines = _session.Render(command).Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).ToList();

            Assert.Matches("^" + string.Join(@"\s+", columns.Split(' ')) + "$", lines[0].Trim());
            Assert.Matches(@"^[-\s]+$", lines[1]);
            Assert.All(lines, l => Assert.True(l.Length <= 80, $"{command} at {width}: '{l}' is {l.Length} characters"));
        }
    }

    public void Dispose() => _session.Dispose();
}
