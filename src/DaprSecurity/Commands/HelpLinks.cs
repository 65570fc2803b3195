namespace DaprSecurity.Commands;

/// <summary>
/// Where Get-Help -Online goes: each cmdlet's HelpUri is the README section that documents it (GitHub's heading
/// anchors). The Pester help test checks every anchor against the README's headings.
/// </summary>
internal static class HelpLinks
{
    private const string Readme = "https://github.com/daprsecurity/DaprSecurity/blob/main/README.md#";

    public const string Contexts = Readme + "get-daprcontext";
    public const string Tokens = Readme + "token-cmdlets";
    public const string Workloads = Readme + "workload-cmdlets";
    public const string Certificates = Readme + "see-the-control-plane-and-the-certificates";
    public const string TestMtls = Readme + "test-daprmtls";
    public const string ExportTrustBundle = Readme + "export-daprtrustbundle";
    public const string UpdateTrustBundle = Readme + "update-daprtrustbundle";
    public const string SeeScopes = Readme + "see-who-can-reach-what";
    public const string ChangeScopes = Readme + "tighten-the-scopes";
    public const string Audit = Readme + "audit-dapr-security";
    public const string Rules = Readme + "rules";
}
