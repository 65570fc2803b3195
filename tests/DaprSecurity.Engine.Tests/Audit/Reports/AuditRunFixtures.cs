using DaprSecurity.Engine.Audit.Reports;
using DaprSecurity.Output;

namespace DaprSecurity.Engine.Tests.Audit.Reports;

/// <summary>Audit runs built by hand from the contract types: a folder scan, a cluster scan and hostile values.</summary>
public static class AuditRunFixtures
{
    public static readonly DateTimeOffset StartedAt = new(2026, 12, 1, 21, 0, 0, TimeSpan.Zero);

    /// <summary>A scan root no test creates, so no enclosing .git changes the paths.</summary>
    public const string ScanRoot = "/nonexistent-daprsecurity-fixture/repo/manifests";

    public static readonly IReadOnlyList<DaprSecurityRule> Rules =
    [
        Rule("DAPR-SECRET-001", DaprSeverity.Critical, "SECRET", "Plaintext secret in component metadata", "https://docs.dapr.io/operations/components/component-secrets/"),
        Rule("DAPR-SIDECAR-001", DaprSeverity.High, "SIDECAR", "Sidecar listens on every interface", "README.md#audit-dapr-security"),
        Rule("DAPR-MTLS-003", DaprSeverity.High, "MTLS", "Issuer certificate expires soon", "#audit-dapr-security"),
        Rule("DAPR-TOKEN-001", DaprSeverity.High, "TOKEN", "No Dapr API token where the threat model needs one", "about_DaprSecurity"),
        Rule("DAPR-SCOPE-001", DaprSeverity.Medium, "SCOPE", "Component without scopes", ""),
        Rule("DAPR-CTRL-002", DaprSeverity.Low, "CTRL", "Sentry runs a single replica", ""),
        Rule("DAPR-CONFIG-002", DaprSeverity.Info, "CONFIG", "No API allow list", ""),
    ];

    /// <summary>A -Path run: two failures, a suppression in the file, a pass, a skip and an unreadable file.</summary>
    public static AuditRun Files() => Run(ScanRoot,
    [
        File("DAPR-SIDECAR-001", DaprAuditOutcome.Fail, "Deployment", "api", "apps/api.yaml", 12, 9, "dapr.io/sidecar-listen-addresses is not set (daprd listens on 0.0.0.0)."),
        File("DAPR-SECRET-001", DaprAuditOutcome.Fail, "Component", "statestore", "components/state.yaml", 10, 7, "metadata redisPassword has a plain value.", baseline: DaprBaselineState.New),
        File("DAPR-SCOPE-001", DaprAuditOutcome.Suppressed, "Component", "pubsub", "components/pubsub.yaml", 3, 0, "The component has no scopes.", suppression: "shared bus, reviewed by security", inSource: true),
        File("DAPR-CONFIG-002", DaprAuditOutcome.Pass, "Configuration", "appconfig", "config/app.yaml", 0, 0, "spec.api.allowed is set."),
        File("DAPR-TOKEN-001", DaprAuditOutcome.Skipped, "Deployment", "api", "apps/api.yaml", 0, 0, "Needs the live cluster."),
        File("DAPR-SCOPE-001", DaprAuditOutcome.Error, "", "", "broken.yaml", 0, 0, "The file could not be read: permission denied."),
    ]);

    /// <summary>A cluster run over context "lab": failures of every CI severity, a suppression, an error, a pass.</summary>
    public static AuditRun Cluster() => Run(null,
    [
        Cluster("DAPR-MTLS-003", DaprAuditOutcome.Fail, "dapr-system", "Secret", "dapr-trust-bundle", "The issuer expires in 20 days."),
        Cluster("DAPR-CTRL-002", DaprAuditOutcome.Fail, "dapr-system", "Deployment", "dapr-sentry", "dapr-sentry runs 1 replica."),
        Cluster("DAPR-CONFIG-002", DaprAuditOutcome.Fail, "shop", "Configuration", "appconfig", "spec.api.allowed is not set."),
        Cluster("DAPR-SIDECAR-001", DaprAuditOutcome.Suppressed, "shop", "Deployment", "web", "dapr.io/sidecar-listen-addresses is 0.0.0.0.", suppression: "legacy app, until 2027-01-01"),
        Cluster("DAPR-TOKEN-001", DaprAuditOutcome.Error, "billing", "Namespace", "billing", "Forbidden: cannot list secrets in billing."),
        Cluster("DAPR-SECRET-001", DaprAuditOutcome.Pass, "shop", "Component", "statestore", "Every secret-like value uses secretKeyRef."),
    ],
    [
        new AuditCertificate("lab", "root", "CN=cluster.local", StartedAt.AddDays(300.5), 300.5),
        new AuditCertificate("lab", "issuer", "CN=cluster.local", StartedAt.AddDays(20.25), 20.25),
        new AuditCertificate("prod", "issuer", "CN=cluster.local", StartedAt.AddDays(-3), -3),
    ]);

    /// <summary>Only Medium and lower failures: a warnings-only run.</summary>
    public static AuditRun WarningsOnly(int failures = 2) => Run(null, Enumerable.Range(1, failures)
        .Select(i => Cluster("DAPR-SCOPE-001", DaprAuditOutcome.Fail, "shop", "Component", $"component-{i:D3}", "The component has no scopes."))
        .ToList());

    /// <summary>Values a cluster or a file could supply to break out of a report or a CI line.</summary>
    public static readonly IReadOnlyList<string> HostileValues =
    [
        "line1\nline2\r\n##vso[task.setvariable variable=pwned]1\r##VSO[task.complete result=Succeeded;]",
        "::error file=x.yaml::forged\n::add-mask::secret\n::stop-commands::token",
        "\u001b[31mred\u001b[0m \u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007 \u001b[2K",
        "]; %0A%AZP25 ##vso[task.logissue type=error]x , : % |`code`| <script>alert(1)</script> [x](https://evil.example) \"q\" \\ \u2028\u2029\u202e \ud800 \0 ##[error]forged ]]> &amp;",
        new string('A', 1024 * 1024) + "\n##vso[task.setvariable variable=late]1",
        new string('%', 1024 * 1024) + new string(';', 1024),
    ];

    /// <summary>One result per hostile value with that value in every string field (rule id included).</summary>
    public static AuditRun Hostile(string? scanRoot = ScanRoot) => Run(scanRoot, HostileValues.SelectMany(value => new[]
        {
            Everywhere(value, DaprAuditOutcome.Fail, DaprSeverity.High, path: true),
            Everywhere(value, DaprAuditOutcome.Fail, DaprSeverity.Medium, path: false),
            Everywhere(value, DaprAuditOutcome.Suppressed, DaprSeverity.Low, path: true),
            Everywhere(value, DaprAuditOutcome.Error, DaprSeverity.Info, path: false),
        }).ToList(),
        HostileValues.Select((value, i) => new AuditCertificate(value, i % 2 == 0 ? "root" : "issuer", value, StartedAt.AddDays(i), i)).ToList());

    public static DaprSecurityResult Everywhere(string value, DaprAuditOutcome outcome, DaprSeverity severity, bool path) => new()
    {
        RuleId = value, Severity = severity, Outcome = outcome, Title = value, Area = value, Context = path ? "" : value,
        Namespace = value, Kind = value, Name = value, Path = path ? value : "", Line = 4, Column = 2, Message = value,
        Remediation = value, HelpUri = value, SuppressionReason = value, Fingerprint = value,
    };

    public static AuditRun Run(string? scanRoot, IReadOnlyList<DaprSecurityResult> results, IReadOnlyList<AuditCertificate>? certificates = null)
        => new("0.1.0", StartedAt, Rules, results, certificates ?? [], scanRoot);

    private static DaprSecurityRule Rule(string id, DaprSeverity severity, string area, string title, string helpUri) => new()
    {
        Id = id, Severity = severity, Area = area, AppliesTo = DaprRuleTarget.Both, Title = title,
        Description = $"Checks: {title}.", Rationale = $"Why {id} matters for Dapr.", Remediation = $"Fix {id}: set the `dapr.io` annotation.", HelpUri = helpUri,
    };

    private static DaprSecurityRule RuleOf(string id) => Rules.Single(r => r.Id == id);

    public static DaprSecurityResult File(string ruleId, DaprAuditOutcome outcome, string kind, string name, string path, int line, int column, string message,
        DaprBaselineState baseline = DaprBaselineState.None, string suppression = "", bool inSource = false)
    {
        var rule = RuleOf(ruleId);
        return new DaprSecurityResult
        {
            RuleId = ruleId, Severity = rule.Severity, Outcome = outcome, Title = rule.Title, Area = rule.Area, Namespace = kind.Length > 0 ? "shop" : "",
            Kind = kind, Name = name, Path = path, Line = line, Column = column, Message = message, Remediation = rule.Remediation, HelpUri = rule.HelpUri,
            Fingerprint = $"{ruleId}|{path}|{kind}/{name}", Baseline = baseline, SuppressionReason = suppression, SuppressedInSource = inSource,
        };
    }

    public static DaprSecurityResult Cluster(string ruleId, DaprAuditOutcome outcome, string ns, string kind, string name, string message, string suppression = "")
    {
        var rule = RuleOf(ruleId);
        return new DaprSecurityResult
        {
            RuleId = ruleId, Severity = rule.Severity, Outcome = outcome, Title = rule.Title, Area = rule.Area, Context = "lab", Namespace = ns,
            Kind = kind, Name = name, Message = message, Remediation = rule.Remediation, HelpUri = rule.HelpUri, Fingerprint = $"{ruleId}|lab|{ns}|{kind}|{name}", SuppressionReason = suppression,
        };
    }

    public static string Render(DaprReportFormat format, AuditRun run)
    {
        using var writer = new StringWriter();
        AuditReports.Write(format, run, writer);
        return writer.ToString();
    }
}
