using System.Collections;
using System.Management.Automation;
using DaprSecurity.Abstractions;
using DaprSecurity.Output;
using DaprSecurity.Transformations;
using DaprSecurity.Validation;

namespace DaprSecurity.Commands.Audit;

/// <summary>Audits a cluster, or a folder of manifests, against Dapr's security checklist: one result per rule and resource, as a gate for Azure DevOps and GitHub.</summary>
/// <remarks>
/// <para>Test-DaprSecurity evaluates every rule of Get-DaprSecurityRule: mTLS (the Test-DaprMtls checks), the control plane (own namespace, high availability), Dapr versions against known security fixes, component scopes, plaintext secrets, sidecar settings, API tokens and the apps' Configurations. Each result has RuleId, Severity, Outcome (Pass, Fail, Skipped, Suppressed or Error), the resource (Context, Namespace, Kind, Name; for files Path, Line and Column of the offending field), a Message with what was found (never a secret value), the Remediation and a HelpUri. Passing results are returned only with -IncludePass.</para>
/// <para>Without -Path it audits the cluster of -Context and -KubeConfig, in the namespaces -Namespace selects (wildcards; all by default). Each kind is read with one paged list across the cluster; an identity that may not list cluster-wide gets one list per namespace. The mTLS results come first, then each namespace's results as soon as every list has passed that namespace. With -Path it audits YAML and JSON manifests (files or folders, recursively; multi-document files and kind: List included), also from Get-ChildItem on the pipeline. Rules that need the live cluster are Skipped for files, and a file holding {{ (a Helm or other template) is Skipped with that reason: render it first.</para>
/// <para>The gate cannot pass by accident: a target that cannot be read (an unreachable cluster, a forbidden list, an unreadable file) is an Error result and an ErrorRecord, and selecting nothing (no namespace matched, no manifest found) is an error. -Quiet returns $true only when no Error result and no failure at or above -FailOn (default High) occurred.</para>
/// <para>Suppressions are visible: the annotation daprsecurity.io/ignore: "DAPR-SIDECAR-001=reason; DAPR-TOKEN-002=reason" on an object, or a -SuppressionPath YAML file (ruleId, optional namespace, kind and name with wildcards, a required reason, an optional expires date). A suppressed failure is returned with Outcome Suppressed and its reason; an expired suppression stops applying and the message says so; a suppression without a reason suppresses nothing and is itself a failure of DAPR-AUDIT-001.</para>
/// <para>A baseline lets a gate fail on new findings only: -BaselinePath FILE -UpdateBaseline writes the current failures by fingerprint (rule id and resource identity, never a line number); -BaselinePath FILE marks each failure New or Known, and -FailOnNewOnly counts only new ones for -FailOn. -OutputFormat with -OutputPath also writes a report (Sarif, NUnit3, JUnit, Markdown, OpenMetrics). In Azure Pipelines and GitHub Actions each failure is also written as an annotation.</para>
/// </remarks>
/// <example>
/// <code>Test-DaprSecurity</code>
/// <para>Audits every namespace of the current cluster and lists what fails.</para>
/// </example>
/// <example>
/// <code>Test-DaprSecurity -Path ./deploy | Format-List RuleId, Target, Message, Remediation</code>
/// <para>Audits the manifests in ./deploy without a cluster and shows how to fix each finding.</para>
/// </example>
/// <example doctest="skip - the lab fails the gate on purpose (unscoped components, a plaintext password), so it throws there, as it should">
/// <code>if (-not (Test-DaprSecurity -Namespace prod-* -FailOn Medium -Quiet)) { throw 'Dapr security gate failed' }</code>
/// <para>Fails a pipeline step when anything of Medium severity or more fails in the prod namespaces, or when anything could not be read.</para>
/// </example>
/// <example>
/// <code>Test-DaprSecurity -Path ./deploy -BaselinePath ./dapr-baseline.json -UpdateBaseline; Test-DaprSecurity -Path ./deploy -BaselinePath ./dapr-baseline.json -FailOnNewOnly -Quiet</code>
/// <para>Records today's failures once, then lets the gate fail only on failures that are not in the baseline.</para>
/// </example>
[Cmdlet(VerbsDiagnostic.Test, "DaprSecurity", HelpUri = HelpLinks.Audit, DefaultParameterSetName = ClusterSet)]
[OutputType(typeof(DaprSecurityResult), typeof(bool))]
public sealed class TestDaprSecurityCommand : DaprClusterOrManifestCmdlet
{
    private readonly PipelineBatches<string, string> _input = new();

    /// <summary>Namespaces to audit. Wildcards are allowed; the default is every namespace. Also taken from the pipeline by property name (Get-DaprNamespace output, objects with a Namespace property); piped files bind to -Path instead. A pattern that matches nothing is an error, and the run cannot pass.</summary>
    [Parameter(Position = 0, ParameterSetName = ClusterSet, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [NamespaceNameTransformation]
    [DaprInput(DaprInputKind.Namespace, Wildcards = true)]
    public string[]? Namespace { get; set; }

    /// <summary>The namespace of Dapr's control plane. By default it is found (the namespace of the daprsystem Configuration or of Sentry); give it when you may not list cluster-wide or run several control planes.</summary>
    [Parameter(ParameterSetName = ClusterSet)]
    [DaprInput(DaprInputKind.Namespace)]
    public string? ControlPlaneNamespace { get; set; }

    /// <summary>Manifest files or folders to audit instead of the cluster (YAML or JSON, folders searched recursively). Wildcards are allowed; Get-ChildItem and Get-Item output binds by its FullName or PSPath. A path that does not exist is an Error result.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ManifestSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Also return passing results.</summary>
    [Parameter]
    public SwitchParameter IncludePass { get; set; }

    /// <summary>The lowest severity whose failures fail the run (-Quiet returns $false). The default is High.</summary>
    [Parameter]
    public DaprSeverity FailOn { get; set; } = DaprSeverity.High;

    /// <summary>Returns only $true (nothing at or above -FailOn failed, and nothing could not be read) or $false, instead of the results.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <summary>A token secret whose token changed longer ago than this fails DAPR-TOKEN-003. The default is 90 days.</summary>
    [Parameter]
    [ValidateRange(1, 3650)]
    public int MaxTokenAgeDays { get; set; } = 90;

    /// <summary>A YAML file of suppressions: a list (or a 'suppressions:' key) of entries with ruleId, optional namespace, kind and name (wildcards), a required reason and an optional expires date (yyyy-MM-dd).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SuppressionPath { get; set; }

    /// <summary>A baseline file: with -UpdateBaseline it is written with the current failures; without, each failure is marked New or Known against it.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BaselinePath { get; set; }

    /// <summary>Writes the current failures to -BaselinePath.</summary>
    [Parameter]
    public SwitchParameter UpdateBaseline { get; set; }

    /// <summary>Only failures that are not in -BaselinePath count for -FailOn.</summary>
    [Parameter]
    public SwitchParameter FailOnNewOnly { get; set; }

    /// <summary>Also writes a report in this format to -OutputPath: Sarif, NUnit3, JUnit, Markdown or OpenMetrics.</summary>
    [Parameter]
    public DaprReportFormat? OutputFormat { get; set; }

    /// <summary>Where -OutputFormat writes the report.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutputPath { get; set; }

    private protected override void Process()
    {
        // One batch: the namespaces or the files of every pipeline object, each once, audited together at the end.
        _input.Add(ParameterSetName, ParameterSetName == ManifestSet ? Path.SelectMany(ResolvePath) : Namespace ?? Array.Empty<string>());
    }

    private protected override void End()
    {
        if ((OutputFormat is null) != (OutputPath is null))
        {
            throw DaprErrors.AuditReportFailed.Raise("-OutputFormat and -OutputPath go together.", OutputPath ?? OutputFormat?.ToString());
        }

        var options = new DaprAuditOptions
        {
            IncludePass = IncludePass,
            FailOn = FailOn,
            FailOnNewOnly = FailOnNewOnly,
            MaxTokenAgeDays = MaxTokenAgeDays,
            SuppressionPath = FileSystemPath(SuppressionPath),
            BaselinePath = FileSystemPath(BaselinePath),
            UpdateBaseline = UpdateBaseline,
            OutputFormat = OutputFormat,
            OutputPath = FileSystemPath(OutputPath),
            ToolVersion = MyInvocation.MyCommand.Module?.Version?.ToString() ?? "",
            Environment = System.Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal),
        };
        var service = Engine<ISecurityAuditService>();
        var input = _input.All.SelectMany(b => b.Items).ToList();
        var results = ParameterSetName == ManifestSet
            ? service.AuditFilesAsync(input, options, EngineHost, EngineHost.CancellationToken)
            : service.AuditClusterAsync(Cluster, new ClusterAuditTarget(input.Count == 0 ? new[] { "*" } : input, ControlPlaneNamespace), options, EngineHost, EngineHost.CancellationToken);
        WriteResults(results, passThru: !Quiet);
        if (Quiet)
        {
            WriteObject(options.Verdict.Passed);
        }
    }

    /// <summary>A path that matches nothing is passed on unresolved, so the audit reports it as an Error result (never a silent pass).</summary>
    private IEnumerable<string> ResolvePath(string path)
    {
        try
        {
            var files = GetResolvedProviderPathFromPSPath(path, out var provider);
            return provider.Name == "FileSystem" ? files : new[] { path };
        }
        catch (ItemNotFoundException)
        {
            return new[] { SessionState.Path.GetUnresolvedProviderPathFromPSPath(path) };
        }
    }

    private string? FileSystemPath(string? path) => path is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
}
