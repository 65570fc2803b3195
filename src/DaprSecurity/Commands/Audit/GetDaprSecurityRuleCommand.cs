using System.Management.Automation;
using DaprSecurity.Abstractions;
using DaprSecurity.Output;
using DaprSecurity.Validation;

namespace DaprSecurity.Commands.Audit;

/// <summary>Lists the rules Test-DaprSecurity checks: id, severity, where each applies, what it checks, why it matters and how to fix a failure.</summary>
/// <remarks>
/// <para>Every rule has a permanent id DAPR-AREA-NNN (areas MTLS, CTRL for the control plane, VER, SCOPE, SECRET, SIDECAR, TOKEN, CONFIG and AUDIT for the audit's own checks). Ids never change and are never reused, so suppressions and baselines keep working across versions.</para>
/// <para>AppliesTo says whether a rule is evaluated against a cluster, against manifest files, or both; rules that need the live cluster are reported Skipped when auditing files. Remediation names the exact annotation, YAML field or cmdlet that fixes a failure, and HelpUri links to the rule in the README.</para>
/// </remarks>
/// <example>
/// <code>Get-DaprSecurityRule</code>
/// <para>Lists the whole catalogue.</para>
/// </example>
/// <example>
/// <code>Get-DaprSecurityRule -Area SIDECAR, TOKEN -Severity High, Critical | Format-List Id, Title, Remediation</code>
/// <para>Shows how to fix the serious sidecar and token rules.</para>
/// </example>
/// <example>
/// <code>Get-DaprSecurityRule -Id DAPR-MTLS-* | Where-Object AppliesTo -eq Cluster</code>
/// <para>Lists the mTLS rules, which all need a live cluster.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "DaprSecurityRule")]
[OutputType(typeof(DaprSecurityRule))]
public sealed class GetDaprSecurityRuleCommand : DaprCmdlet
{
    /// <summary>Rule ids to return. Wildcards are allowed; an id without wildcards that is not in the catalogue is an error.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("RuleId")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [DaprInput(DaprInputKind.Pattern)]
    public string[]? Id { get; set; }

    /// <summary>Only rules of these severities.</summary>
    [Parameter]
    public DaprSeverity[]? Severity { get; set; }

    /// <summary>Only rules of these areas.</summary>
    [Parameter]
    [ValidateSet("MTLS", "CTRL", "VER", "SCOPE", "SECRET", "SIDECAR", "TOKEN", "CONFIG", "AUDIT", IgnoreCase = true)]
    public string[]? Area { get; set; }

    private protected override void Process()
    {
        var rules = Engine<ISecurityAuditService>().Rules;
        foreach (var id in (Id ?? Array.Empty<string>()).Where(i => !WildcardPattern.ContainsWildcardCharacters(i)))
        {
            if (!rules.Any(r => r.Id.Equals(id, StringComparison.OrdinalIgnoreCase)))
            {
                WriteError(DaprErrors.AuditRuleNotFound.Raise($"There is no rule '{id}'; Get-DaprSecurityRule lists them.", id));
            }
        }

        var patterns = Id?.Select(i => new WildcardPattern(i, WildcardOptions.IgnoreCase)).ToList();
        WriteResults(rules
            .Where(r => patterns is null || patterns.Any(p => p.IsMatch(r.Id)))
            .Where(r => Severity is null || Severity.Contains(r.Severity))
            .Where(r => Area is null || Area.Contains(r.Area, StringComparer.OrdinalIgnoreCase)));
    }
}
