using System.Security.Cryptography;
using System.Text;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Audit.Model;
using DaprSecurity.Engine.Audit.Reports;
using DaprSecurity.Engine.Audit.Rules;
using DaprSecurity.Engine.IO;
using DaprSecurity.Output;

namespace DaprSecurity.Engine.Audit.Gate;

/// <summary>
/// One Test-DaprSecurity run: turns findings and read problems into results, applies suppressions and the baseline,
/// keeps the verdict, and at the end writes the baseline, the report and the CI annotations.
/// </summary>
internal sealed class AuditSession
{
    private const string ReadRule = "DAPR-AUDIT-002";
    private const string SuppressionRule = "DAPR-AUDIT-001";

    /// <summary>Below this many workloads the rules are quicker on one thread.</summary>
    private const int ParallelFrom = 200;

    private readonly DaprAuditOptions _options;
    private readonly IEngineHost _host;
    private readonly string _context;
    private readonly string? _scanRoot;
    private readonly Suppressions _suppressions;
    private readonly Baseline? _baseline;
    private readonly Dictionary<string, DaprSecurityRule> _rules;
    private readonly List<DaprSecurityResult> _all = new();
    private readonly HashSet<string> _annotationsSeen = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _startedAt;
    private IReadOnlyList<DaprCertificateInfo> _certificates = Array.Empty<DaprCertificateInfo>();

    public AuditSession(DaprAuditOptions options, IEngineHost host, string context, string? scanRoot)
    {
        _options = options;
        _host = host;
        _context = context;
        _scanRoot = scanRoot;
        _startedAt = host.Clock.GetUtcNow();
        _rules = RuleCatalogue.All.ToDictionary(r => r.Info.Id, r => r.Info, StringComparer.Ordinal);
        if ((options.UpdateBaseline || options.FailOnNewOnly) && options.BaselinePath is null)
        {
            throw DaprErrors.AuditBaselineRequired.Raise("-UpdateBaseline and -FailOnNewOnly need -BaselinePath.", null);
        }

        _suppressions = options.SuppressionPath is { } path ? Suppressions.Load(path) : Suppressions.None;
        _baseline = options.BaselinePath is { } baseline && !options.UpdateBaseline ? Baseline.Load(baseline) : null;
    }

    /// <summary>A report (-OutputFormat) lists every result, passes too.</summary>
    private bool ReportsAll => _options.OutputFormat is not null;

    /// <summary>Invalid entries of the suppression file, as DAPR-AUDIT-001 failures.</summary>
    public IEnumerable<DaprSecurityResult> Start()
        => _suppressions.FileProblems.Select(p => Emit(Build(SuppressionRule, new RuleFinding(p.Resource, true, p.Message, p.At)))).OfType<DaprSecurityResult>();

    /// <summary>Runs <paramref name="rules"/> on <paramref name="snapshot"/>; cluster-only rules are Skipped for files.</summary>
    public IEnumerable<DaprSecurityResult> Evaluate(AuditSnapshot snapshot, IEnumerable<AuditRule> rules, CancellationToken cancellationToken)
    {
        _certificates = snapshot.Cluster?.Certificates ?? _certificates;

        // Rules only read the snapshot, so a large folder of manifests is judged on every core; results still come in
        // catalogue order, each rule's as soon as it and those before it are done. Not a cluster's: its Components
        // are JSON the client parses lazily, which fills itself in on first read and is not safe to share.
        var evaluated = snapshot.Cluster is null && snapshot.Workloads.Count >= ParallelFrom
            ? rules.AsParallel().AsOrdered().WithCancellation(cancellationToken).Select(rule => (Rule: rule, Found: Findings(rule, snapshot)))
            : rules.Select(rule => (Rule: rule, Found: Findings(rule, snapshot)));
        foreach (var (rule, found) in evaluated)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (found is not var (findings, failure))
            {
                if (Emit(Build(rule.Info.Id, new RuleFinding(new AuditResource("Rule", "", rule.Info.Id), false, "Skipped: this rule needs the live cluster; run Test-DaprSecurity against the cluster to check it."), DaprAuditOutcome.Skipped)) is { } skipped)
                {
                    yield return skipped;
                }

                continue;
            }

            if (failure is not null)
            {
                var error = DaprErrors.AuditRuleFailed.Raise($"{rule.Info.Id} could not be evaluated: {failure.Message}", rule.Info.Id, failure);
                _host.WriteError(error);
                findings = new List<RuleFinding> { new(new AuditResource("Rule", "", rule.Info.Id), true, error.Message) { IsError = true } };
            }

            foreach (var finding in findings)
            {
                foreach (var result in WithAnnotationProblems(finding))
                {
                    yield return result;
                }

                if (!finding.Failed && !finding.IsError && !_options.IncludePass && !ReportsAll)
                {
                    continue; // a pass nobody will see: neither returned nor reported
                }

                if (Emit(Build(rule.Info.Id, finding)) is { } emitted)
                {
                    yield return emitted;
                }
            }
        }
    }

    /// <summary>A rule's findings, or the exception that kept it from being evaluated; null for a cluster-only rule on files.</summary>
    private static (List<RuleFinding> Findings, Exception? Failure)? Findings(AuditRule rule, AuditSnapshot snapshot)
    {
        if (rule.ClusterOnly && snapshot.Cluster is null)
        {
            return null;
        }

        try
        {
            return (rule.Evaluate(snapshot).ToList(), null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (new List<RuleFinding>(), e);
        }
    }

    /// <summary>Targets that could not be read (Error results and ErrorRecords) or were skipped.</summary>
    public IEnumerable<DaprSecurityResult> Problems(IEnumerable<ReadProblem> problems)
    {
        foreach (var problem in problems)
        {
            if (problem.Error is { } error)
            {
                _host.WriteError(error);
            }

            var finding = new RuleFinding(problem.Resource, problem.Error is not null, problem.Error?.Message ?? problem.Reason ?? "") { IsError = problem.Error is not null };
            var file = problem.Resource.Kind == "File" ? (problem.Resource.Name, problem.Line) : ((string, int)?)null;
            if (Emit(Build(ReadRule, finding, problem.Error is null ? DaprAuditOutcome.Skipped : null, file)) is { } emitted)
            {
                yield return emitted;
            }
        }
    }

    /// <summary>Writes the baseline, the report and the CI annotations, and settles the verdict.</summary>
    public void Finish()
    {
        if (_options.UpdateBaseline)
        {
            Baseline.Write(_options.BaselinePath!, _all.Where(r => r.Outcome == DaprAuditOutcome.Fail));
            _host.WriteVerbose($"Wrote {_all.Count(r => r.Outcome == DaprAuditOutcome.Fail)} failures to the baseline {_options.BaselinePath}.");
        }

        var run = new AuditRun(
            _options.ToolVersion,
            _startedAt,
            RuleCatalogue.All.Select(r => r.Info).ToList(),
            _all,
            _certificates.Select(c => new AuditCertificate(_context, c.Role.ToString().ToLowerInvariant(), c.Subject, new DateTimeOffset(DateTime.SpecifyKind(c.NotAfter, DateTimeKind.Utc)), c.DaysUntilExpiry)).ToList(),
            _scanRoot);
        if (_options.OutputFormat is { } format && _options.OutputPath is { } path)
        {
            WriteReport(format, path, run);
        }

        foreach (var line in AuditReports.CiAnnotations(run, _options.Environment))
        {
            _host.WriteHostLine(line);
        }

        _options.Verdict.Completed = true;
    }

    private void WriteReport(DaprReportFormat format, string path, AuditRun run)
    {
        try
        {
            AtomicFile.Write(path, stream =>
            {
                using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
                AuditReports.Write(format, run, writer);
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotImplementedException or InvalidOperationException)
        {
            _options.Verdict.Blocking++;
            _host.WriteError(DaprErrors.AuditReportFailed.Raise($"The {format} report could not be written to {path}: {e.Message}", path, e));
        }
    }

    /// <summary>
    /// Counts, remembers and filters a result: everything but passes is returned; passes only with -IncludePass. The end
    /// needs every result for a report, else only failures and errors (the baseline and the CI annotations).
    /// </summary>
    private DaprSecurityResult? Emit(DaprSecurityResult result)
    {
        if (ReportsAll || result.Outcome is DaprAuditOutcome.Fail or DaprAuditOutcome.Error)
        {
            _all.Add(result);
        }

        var counts = result.Outcome == DaprAuditOutcome.Error
            || (result.Outcome == DaprAuditOutcome.Fail && result.Severity >= _options.FailOn && (!_options.FailOnNewOnly || result.Baseline == DaprBaselineState.New));
        if (counts)
        {
            _options.Verdict.Blocking++;
        }

        return result.Outcome == DaprAuditOutcome.Pass && !_options.IncludePass ? null : result;
    }

    /// <summary>Invalid daprsecurity.io/ignore entries of an object, reported once per object.</summary>
    private IEnumerable<DaprSecurityResult> WithAnnotationProblems(RuleFinding finding)
    {
        var resource = finding.Resource;
        if (!resource.Annotations.ContainsKey(Suppressions.Annotation) || !_annotationsSeen.Add(Identity(resource)))
        {
            yield break;
        }

        foreach (var invalid in Suppressions.FromAnnotation(resource).Invalid)
        {
            if (Emit(Build(SuppressionRule, new RuleFinding(invalid.Resource, true, invalid.Message, invalid.At))) is { } result)
            {
                yield return result;
            }
        }
    }

    /// <param name="file">For a file that could not be read: its relative path and line.</param>
    private DaprSecurityResult Build(string ruleId, RuleFinding finding, DaprAuditOutcome? outcome = null, (string Path, int Line)? file = null)
    {
        var rule = _rules[ruleId];
        var resource = finding.Resource;
        var severity = finding.Severity is { } lower && lower < rule.Severity ? lower : rule.Severity;
        var state = outcome ?? (finding.IsError ? DaprAuditOutcome.Error : finding.Failed ? DaprAuditOutcome.Fail : DaprAuditOutcome.Pass);
        var message = finding.Message;
        var suppressionReason = "";
        var inSource = false;
        if (state == DaprAuditOutcome.Fail && ruleId != SuppressionRule)
        {
            var covering = Suppressions.FromAnnotation(resource).Valid.Where(s => s.Covers(ruleId, resource)).Concat(_suppressions.Covering(ruleId, resource)).ToList();
            var active = covering.FirstOrDefault(s => !s.IsExpired(_startedAt));
            if (active is not null)
            {
                state = DaprAuditOutcome.Suppressed;
                suppressionReason = active.Reason;
                inSource = active.InSource;
            }
            else if (covering.FirstOrDefault() is { } expired)
            {
                message += $" (The suppression at {expired.Origin} expired on {expired.Expires:yyyy-MM-dd} and no longer applies.)";
            }
        }

        // Worked out now rather than on first read: a closure over the source would keep its file's text (a Secret's
        // stringData too) reachable from the result.
        var (line, column) = resource.Source is { } source ? source.Locate(finding.At) : (file?.Line ?? 0, 0);
        var fingerprint = Fingerprint(ruleId, resource, finding.At);
        return new DaprSecurityResult
        {
            RuleId = ruleId,
            Title = rule.Title,
            Area = rule.Area,
            Severity = severity,
            Outcome = state,
            Context = resource.Source is null && file is null ? _context : "",
            Namespace = resource.Namespace,
            Kind = resource.Kind,
            Name = resource.Name,
            Path = resource.Source?.RelativePath ?? file?.Path ?? "",
            Line = line,
            Column = column,
            Message = message,
            Remediation = rule.Remediation,
            HelpUri = rule.HelpUri,
            SuppressionReason = suppressionReason,
            SuppressedInSource = inSource,
            Baseline = state == DaprAuditOutcome.Fail && _baseline is not null ? _baseline.Contains(fingerprint) ? DaprBaselineState.Known : DaprBaselineState.New : DaprBaselineState.None,
            Fingerprint = fingerprint,
        };
    }

    /// <summary>Rule id and the resource's identity (context or relative path, namespace, kind, name, field), hashed; never a line number.</summary>
    private string Fingerprint(string ruleId, AuditResource resource, IReadOnlyList<string>? at)
    {
        var where = resource.Source is { } source ? "file:" + source.RelativePath : "cluster:" + _context;
        var text = string.Join('\n', ruleId, where, Identity(resource), string.Join('.', at ?? Array.Empty<string>()));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32].ToLowerInvariant();
    }

    private static string Identity(AuditResource resource) => $"{resource.Kind}/{resource.Namespace}/{resource.Name}/{resource.Source?.RelativePath}";
}
