using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using DaprSecurity.Output;

namespace DaprSecurity.Engine.Audit.Reports;

/// <summary>
/// SARIF 2.1.0 for GitHub code scanning and Azure DevOps' Scans tab: one run whose driver lists every rule; a result
/// per failure and suppressed failure (with <c>suppressions</c>); results that could not be evaluated as tool
/// execution notifications, so they never look like findings and mark the run unsuccessful. Files get a
/// repository-relative physical location; cluster objects a logical location and a stable synthetic
/// <c>k8s/context/namespace/kind/name.yaml</c> uri, because the Scans tab and GitHub list only located results.
/// </summary>
internal static class SarifReportWriter
{
    private const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";
    private const string SourceRootId = "%SRCROOT%";
    private const string FingerprintKey = "daprsecurity/v1";

    /// <summary>SARIF strings from the cluster or files are bounded: GitHub rejects oversized files.</summary>
    private const int MaxTextLength = 32 * 1024;

    /// <summary>The longest file name most file systems allow (ext4, NTFS, APFS).</summary>
    private const int MaxFileNameLength = 255;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(AuditRun run, TextWriter writer)
    {
        var ruleIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < run.Rules.Count; i++)
        {
            ruleIndex.TryAdd(run.Rules[i].Id, i);
        }

        var root = SourceRoot.For(run.ScanRoot);
        var results = new JsonArray();
        var notifications = new JsonArray();
        foreach (var result in run.Results)
        {
            switch (result.Outcome)
            {
                case DaprAuditOutcome.Fail or DaprAuditOutcome.Suppressed:
                    results.Add(Result(result, ruleIndex, root));
                    break;
                case DaprAuditOutcome.Error:
                    notifications.Add(Notification(result, ruleIndex, root));
                    break;
            }
        }

        var sarifRun = new JsonObject
        {
            ["tool"] = new JsonObject { ["driver"] = Driver(run) },
            ["invocations"] = new JsonArray(new JsonObject
            {
                ["executionSuccessful"] = notifications.Count == 0,
                ["startTimeUtc"] = run.StartedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
                ["toolExecutionNotifications"] = notifications,
            }),
            ["columnKind"] = "utf16CodeUnits",
            ["results"] = results,
        };
        if (root.Path is not null && run.Results.Any(ReportResource.IsFile))
        {
            sarifRun["originalUriBaseIds"] = new JsonObject
            {
                [SourceRootId] = new JsonObject { ["uri"] = new Uri(Path.TrimEndingDirectorySeparator(root.Path) + Path.DirectorySeparatorChar).AbsoluteUri },
            };
        }

        var log = new JsonObject
        {
            ["$schema"] = SchemaUri,
            ["version"] = "2.1.0",
            ["runs"] = new JsonArray(sarifRun),
        };
        writer.Write(log.ToJsonString(JsonOptions));
        writer.WriteLine();
    }

    private static JsonObject Driver(AuditRun run)
    {
        var rules = new JsonArray();
        foreach (var rule in run.Rules)
        {
            rules.Add(Rule(rule));
        }

        return new JsonObject
        {
            ["name"] = ReportTool.Name,
            ["version"] = run.ToolVersion,
            ["informationUri"] = ReportTool.InformationUri,
            ["rules"] = rules,
        };
    }

    private static JsonObject Rule(DaprSecurityRule rule)
    {
        var helpUri = ReportTool.AbsoluteHelpUri(rule.HelpUri);
        var properties = new JsonObject();
        if (ReportSeverity.SecuritySeverity(rule.Severity) is { } securitySeverity)
        {
            properties["security-severity"] = securitySeverity;
        }

        properties["tags"] = new JsonArray("security", "dapr", rule.Area.ToLowerInvariant());
        properties["severity"] = rule.Severity.ToString();
        properties["appliesTo"] = rule.AppliesTo.ToString();

        var descriptor = new JsonObject
        {
            ["id"] = rule.Id,
            ["name"] = PascalName(rule),
            ["shortDescription"] = Text(rule.Title),
            ["fullDescription"] = Text(rule.Description.Length > 0 ? rule.Description : rule.Title),
            ["help"] = new JsonObject
            {
                ["text"] = HelpText(rule, helpUri),
                ["markdown"] = HelpMarkdown(rule, helpUri),
            },
            ["defaultConfiguration"] = new JsonObject { ["level"] = ReportSeverity.SarifLevel(rule.Severity) },
            ["properties"] = properties,
        };
        if (helpUri is not null)
        {
            descriptor["helpUri"] = helpUri;
        }

        return descriptor;
    }

    private static string HelpText(DaprSecurityRule rule, string? helpUri)
    {
        var parts = new List<string>();
        if (rule.Rationale.Length > 0)
        {
            parts.Add($"Why: {rule.Rationale}");
        }

        parts.Add($"Remediation: {(rule.Remediation.Length > 0 ? rule.Remediation : rule.Title)}");
        if (helpUri is not null)
        {
            parts.Add($"More: {helpUri}");
        }

        return string.Join("\n\n", parts);
    }

    private static string HelpMarkdown(DaprSecurityRule rule, string? helpUri)
    {
        var parts = new List<string> { $"**{rule.Id}** ({rule.Severity}): {rule.Title}" };
        if (rule.Rationale.Length > 0)
        {
            parts.Add($"**Why:** {rule.Rationale}");
        }

        parts.Add($"**Remediation:** {(rule.Remediation.Length > 0 ? rule.Remediation : rule.Title)}");
        if (helpUri is not null)
        {
            parts.Add($"[More about {rule.Id}]({helpUri})");
        }

        return string.Join("\n\n", parts);
    }

    /// <summary>SARIF's rule <c>name</c>: the title as one PascalCase identifier, for example "ComponentWithoutScopes".</summary>
    private static string PascalName(DaprSecurityRule rule)
    {
        var words = new string(rule.Title.Select(c => char.IsAsciiLetterOrDigit(c) ? c : ' ').ToArray()).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var name = string.Concat(words.Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
        return name.Length > 0 ? name : rule.Id.Replace("-", "", StringComparison.Ordinal);
    }

    private static JsonObject Result(DaprSecurityResult result, IReadOnlyDictionary<string, int> ruleIndex, SourceRoot root)
    {
        var sarif = new JsonObject { ["ruleId"] = Clean(result.RuleId) };
        if (ruleIndex.TryGetValue(result.RuleId, out var index))
        {
            sarif["ruleIndex"] = index;
        }

        sarif["level"] = ReportSeverity.SarifLevel(result.Severity);
        sarif["message"] = Text(Clean(result.Message.Length > 0 ? result.Message : result.Title));
        sarif["locations"] = new JsonArray(Location(result, root));
        sarif["partialFingerprints"] = new JsonObject { [FingerprintKey] = Fingerprint(result) };
        if (result.Baseline != DaprBaselineState.None)
        {
            sarif["baselineState"] = result.Baseline == DaprBaselineState.New ? "new" : "unchanged";
        }

        if (result.Outcome == DaprAuditOutcome.Suppressed)
        {
            sarif["suppressions"] = new JsonArray(new JsonObject
            {
                ["kind"] = result.SuppressedInSource ? "inSource" : "external",
                ["status"] = "accepted",
                ["justification"] = Clean(result.SuppressionReason),
            });
        }

        sarif["properties"] = ResultProperties(result);
        return sarif;
    }

    private static JsonObject Notification(DaprSecurityResult result, IReadOnlyDictionary<string, int> ruleIndex, SourceRoot root)
    {
        var rule = new JsonObject { ["id"] = Clean(result.RuleId) };
        if (ruleIndex.TryGetValue(result.RuleId, out var index))
        {
            rule["index"] = index;
        }

        return new JsonObject
        {
            ["level"] = "error",
            ["message"] = Text(Clean(result.Message.Length > 0 ? result.Message : $"{result.RuleId} could not be evaluated.")),
            ["locations"] = new JsonArray(Location(result, root)),
            ["associatedRule"] = rule,
            ["properties"] = ResultProperties(result),
        };
    }

    private static JsonObject ResultProperties(DaprSecurityResult result)
    {
        var properties = new JsonObject
        {
            ["severity"] = result.Severity.ToString(),
            ["outcome"] = result.Outcome.ToString(),
        };
        if (result.Remediation.Length > 0)
        {
            properties["remediation"] = Clean(result.Remediation);
        }

        return properties;
    }

    private static JsonObject Location(DaprSecurityResult result, SourceRoot root)
    {
        var artifact = new JsonObject();
        var region = new JsonObject();
        if (ReportResource.IsFile(result))
        {
            // The file's real name, every unsafe character percent-encoded rather than cleaned, so that code scanning finds the
            // file; a segment longer than any file system allows in a name cannot be one, and is cleaned (bounded) instead.
            artifact["uri"] = string.Join('/', root.Relative(result.Path).Split('/').Select(s => Uri.EscapeDataString(s.Length <= MaxFileNameLength ? s : Clean(s))));
            artifact["uriBaseId"] = SourceRootId;
            // GitHub needs a region on every location; line 1 stands for "the file" when the line is unknown.
            region["startLine"] = Math.Max(result.Line, 1);
            if (result.Column > 0)
            {
                region["startColumn"] = result.Column;
            }
        }
        else
        {
            artifact["uri"] = UriPath(["k8s", Segment(result.Context), Segment(result.Namespace), Segment(result.Kind), Segment(result.Name) + ".yaml"]);
            region["startLine"] = 1;
        }

        var location = new JsonObject
        {
            ["physicalLocation"] = new JsonObject { ["artifactLocation"] = artifact, ["region"] = region },
        };
        if (result.Kind.Length > 0 || result.Name.Length > 0 || result.Namespace.Length > 0)
        {
            location["logicalLocations"] = new JsonArray(new JsonObject
            {
                ["name"] = Clean(result.Name.Length > 0 ? result.Name : result.Namespace),
                ["fullyQualifiedName"] = Clean(ReportResource.QualifiedName(result)),
                ["kind"] = "resource",
                ["properties"] = new JsonObject
                {
                    ["context"] = Clean(result.Context),
                    ["namespace"] = Clean(result.Namespace),
                    ["kind"] = Clean(result.Kind),
                    ["name"] = Clean(result.Name),
                },
            });
        }

        return location;
    }

    /// <summary>The audit's stable key; one built from the rule and the resource's identity if the audit gave none.</summary>
    private static string Fingerprint(DaprSecurityResult result)
        => Clean(result.Fingerprint.Length > 0 ? result.Fingerprint : $"{result.RuleId}|{ReportResource.QualifiedName(result)}|{result.Path}");

    /// <summary>An empty segment (a cluster-scoped object, no context) as "_" so the uri keeps its shape.</summary>
    private static string Segment(string value) => value.Length > 0 ? value : "_";

    /// <summary>The synthetic uri of a cluster object, from cleaned segments (cluster text may be anything).</summary>
    private static string UriPath(IEnumerable<string> segments)
        => string.Join('/', segments.Select(s => Uri.EscapeDataString(Clean(s))));

    private static JsonObject Text(string text) => new() { ["text"] = text };

    private static string Clean(string text) => ReportText.Clean(text, MaxTextLength);
}
