using DaprSecurity.Engine.Audit.Model;
using DaprSecurity.Output;
using static DaprSecurity.Output.DaprRuleTarget;
using static DaprSecurity.Output.DaprSeverity;

namespace DaprSecurity.Engine.Audit.Rules;

/// <summary>
/// The audit's rules, in one place: what each checks, why it matters for Dapr and how to fix it, and the function
/// that evaluates it. Ids are permanent: never renumber or reuse one; retire a rule by keeping its id out of use.
/// </summary>
internal static class RuleCatalogue
{
    /// <summary>Rule help lives in the README's rule table, one anchor a rule.</summary>
    public const string HelpBase = "https://github.com/daprsecurity/DaprSecurity/blob/main/README.md#";

    private static readonly Lazy<IReadOnlyList<AuditRule>> s_all = new(() => Build().OrderBy(r => r.Info.Id, StringComparer.Ordinal).ToList());

    public static IReadOnlyList<AuditRule> All => s_all.Value;

    private static IEnumerable<AuditRule> Build()
    {
        const string renew = "Update-DaprTrustBundle -Restart (Test-DaprMtls shows the details).";
        yield return Rule("DAPR-MTLS-001", High, Cluster, "mTLS is enabled", "spec.mtls.enabled of the daprsystem Configuration (absent means enabled).", "Without mTLS sidecars talk in plain text and cannot prove who calls; access control policies then only see the default action.", "Set spec.mtls.enabled: true in the daprsystem Configuration of the control-plane namespace.", MtlsRules.Check("MtlsEnabled"));
        yield return Rule("DAPR-MTLS-002", Medium, Cluster, "Workload certificate TTL is sane", "spec.mtls.workloadCertTTL parses as a Go duration between 10 minutes and 7 days.", "Sentry fails to start on a bad value; a long TTL keeps a leaked certificate usable.", "Set spec.mtls.workloadCertTTL: 24h in the daprsystem Configuration.", MtlsRules.Check("WorkloadCertTtl"));
        yield return Rule("DAPR-MTLS-003", Medium, Cluster, "Allowed clock skew is sane", "spec.mtls.allowedClockSkew parses as a Go duration of at most one hour.", "Sentry fails to start on a bad value; certificates are back-dated by the skew.", "Set spec.mtls.allowedClockSkew: 15m and fix the clocks (NTP).", MtlsRules.Check("AllowedClockSkew"));
        yield return Rule("DAPR-MTLS-004", High, Cluster, "Sentry is healthy", "A Sentry deployment exists in the control-plane namespace and every replica is ready.", "Without Sentry no sidecar can get or renew its certificate.", "kubectl -n <control-plane> rollout status deploy/dapr-sentry; see Get-DaprControlPlane.", MtlsRules.Check("SentryHealthy"));
        yield return Rule("DAPR-MTLS-005", High, Cluster, "Trust bundle Secret is complete", "Secret dapr-trust-bundle holds ca.crt, issuer.crt and issuer.key.", "Sentry silently generates a new CA when a key is missing, and running sidecars stop trusting it.", renew, MtlsRules.Check("TrustBundleSecret"));
        yield return Rule("DAPR-MTLS-006", High, Cluster, "Trust bundle ConfigMap matches the Secret", "ConfigMap dapr-trust-bundle's ca.crt is byte-identical to the Secret's.", "Sentry regenerates the whole CA at its next restart when they differ.", renew, MtlsRules.Check("TrustBundleConfigMap"));
        yield return Rule("DAPR-MTLS-007", Critical, Cluster, "Issuer chains to the root", "The issuer is a CA whose signature verifies with a root of ca.crt.", "Sentry refuses to start with a broken chain.", renew, MtlsRules.Check("IssuerChain"));
        yield return Rule("DAPR-MTLS-008", Critical, Cluster, "Issuer key matches the issuer", "issuer.key is the private key of issuer.crt.", "Sentry refuses to start with a mismatched key.", renew, MtlsRules.Check("IssuerKey"));
        yield return Rule("DAPR-MTLS-009", Critical, Cluster, "Root certificate is valid", "The root is valid now; expiring within 30 days fails at Medium.", "An expired root breaks every sidecar, even with mTLS disabled.", renew, MtlsRules.Check("RootValidity"));
        yield return Rule("DAPR-MTLS-010", Critical, Cluster, "Issuer certificate is valid", "The issuer is valid now; expiring within 30 days fails at Medium.", "The issuer can expire before the root, and the dapr CLI never checks it.", renew, MtlsRules.Check("IssuerValidity"));
        yield return Rule("DAPR-MTLS-011", High, Cluster, "Sidecars trust the current root", "Running sidecars' DAPR_TRUST_ANCHORS equal the current ca.crt (those of the audited namespaces, from the audit's pod list).", "Sidecars injected with old anchors cannot verify certificates from the current issuer.", "Restart the listed workloads: Update-DaprTrustBundle -RestartOnly.", MtlsRules.Check("TrustAnchorsCurrent")) with { ReadsSidecars = true };
        yield return Rule("DAPR-MTLS-012", Medium, Cluster, "Sidecars run with mTLS", "Running daprd containers of the audited namespaces have --enable-mtls.", "Pods injected while mTLS was off keep talking in plain text until restarted.", "Restart the listed workloads after enabling mTLS (kubectl rollout restart).", MtlsRules.Check("SidecarMtls")) with { ReadsSidecars = true };

        yield return Rule("DAPR-CTRL-001", Medium, Both, "Control plane has a namespace of its own", "The control plane (Sentry, operator, placement, scheduler, injector) does not run in default or beside Dapr apps.", "Apps that share the namespace can read the trust bundle's issuer key with a Secret reader role; Dapr's production guidelines ask for a dedicated namespace.", "Install Dapr into its own namespace (helm install dapr dapr/dapr -n dapr-system --create-namespace) and move the apps out.", ControlPlaneRules.OwnNamespace);
        yield return Rule("DAPR-CTRL-002", Low, Both, "Control plane is highly available", "Sentry, placement and operator run more than one replica.", "With one replica, a node failure stops certificate renewal, actor placement or component updates (Dapr's production advice is HA with 3 replicas).", "helm upgrade dapr dapr/dapr --reuse-values --set global.ha.enabled=true", ControlPlaneRules.HighAvailability);

        yield return Rule("DAPR-VER-001", High, Both, "Dapr has the security fixes", "Control-plane images and sidecar images (dapr.io/sidecar-image, running daprd) are at or above every fix of the advisory data file.", "Known bypasses of access control and gRPC authorization are fixed only in patch releases; version drift is itself a finding.", "Upgrade Dapr to the latest patch of your minor line (helm upgrade dapr dapr/dapr --version <1.16.14+ or 1.17.5+>), then restart the Dapr workloads.", VersionRules.SecurityFloor);
        yield return Rule("DAPR-VER-002", High, Both, "Sentry OIDC discovery cannot be poisoned", "When Sentry serves OIDC discovery (--oidc-enabled --jwt-enabled) without --jwt-issuer or --oidc-allowed-hosts, it runs 1.17.8 or later.", "Before 1.17.8 the discovery document trusts X-Forwarded-Host, so a caller can make it point to their keys (CWE-346).", "Upgrade to Dapr 1.17.8+, or set dapr_sentry.oidc.allowedHosts / dapr_sentry.jwt.issuer in the Helm values.", VersionRules.SentryOidc);

        yield return Rule("DAPR-SCOPE-001", Medium, Both, "Component is scoped", "The component has a top-level scopes list.", "Without scopes every app of the namespace can load the component and use its credentials.", "Add scopes: [<app-id>, ...] at the top level of the Component (Set-DaprComponentScope).", ScopeRules.Scoped);
        yield return Rule("DAPR-SCOPE-002", High, Both, "Scopes are where Dapr reads them", "No scope:, Scopes:, spec.scopes or metadata.scopes (or one the API server dropped), and scopes is a list.", "Dapr silently ignores misplaced scopes (dapr/dapr#7564): the author believes the component is scoped while every app can load it.", "Move the list to the top-level field scopes (next to spec, lowercase, plural).", ScopeRules.Misplaced);
        yield return Rule("DAPR-SCOPE-003", Low, Both, "Scoped app-ids exist", "Every app-id in scopes, publishingScopes and subscriptionScopes is a valid app-id of a Dapr app in the namespace.", "A typo or a retired app-id grants nothing to the intended app and keeps a stale grant.", "Fix or remove the app-id (Remove-DaprComponentScope).", ScopeRules.KnownAppIds);
        yield return Rule("DAPR-SCOPE-004", Medium, Both, "Secret store access is limited", "Every app that can load a secret store has a spec.secrets.scopes entry for it in its Configuration.", "Without one the app may read every secret the store can reach (default allow).", "In the app's Configuration: spec.secrets.scopes: [{storeName: <store>, defaultAccess: deny, allowedSecrets: [...]}].", ScopeRules.SecretStoreScoped);
        yield return Rule("DAPR-SCOPE-005", Info, Both, "Pub/sub topics are scoped", "A pub/sub component sets publishingScopes, subscriptionScopes, allowedTopics or protectedTopics.", "Without topic scoping every app that loads the broker may publish and subscribe to every topic.", "Add spec.metadata publishingScopes / subscriptionScopes (app1=topic1;app2=topic2) or allowedTopics.", ScopeRules.TopicScoped);

        yield return Rule("DAPR-SECRET-001", High, Both, "No plaintext secrets in components", "Metadata whose name is secret-like (password, secret, token, key, accessKey, connectionString, sasToken, ...) uses secretKeyRef, not value.", "A plain value is readable by anyone who can read the component or its manifest in Git.", "Replace value with secretKeyRef: {name: <secret>, key: <key>} and keep the value in a Secret or secret store.", SecretRules.NoPlainSecrets);
        yield return Rule("DAPR-SECRET-002", Medium, Cluster, "Component secret references resolve", "Every secretKeyRef resolved from Kubernetes (auth.secretStore empty or kubernetes) names an existing Secret and key in the namespace.", "A dangling reference makes the component fail to initialize, often only noticed in production.", "Create the secret (kubectl create secret generic <name> -n <ns> --from-literal=<key>=...) or fix the reference.", SecretRules.ReferencesExist);

        yield return Rule("DAPR-SIDECAR-001", High, Both, "Dapr API listens on loopback only", "dapr.io/sidecar-listen-addresses, when set, lists only 127.0.0.1, ::1 or localhost (unset is the injector's loopback default).", "Any other address exposes the Dapr API (3500, 50001) to the pod network.", "dapr.io/sidecar-listen-addresses: \"127.0.0.1\" (or remove the annotation); Set-DaprSidecarAnnotation -ListenAddresses 127.0.0.1.", SidecarRules.LoopbackOnly);
        yield return Rule("DAPR-SIDECAR-002", Medium, Both, "API logging is on", "dapr.io/enable-api-logging is true, or unset while the app's Configuration sets spec.logging.apiLogging.enabled: true.", "Without API logs there is no record of who called which Dapr API.", "dapr.io/enable-api-logging: \"true\" (Set-DaprSidecarAnnotation -EnableApiLogging $true).", SidecarRules.ApiLogging);
        yield return Rule("DAPR-SIDECAR-003", Medium, Both, "Profiling and debugging are off", "dapr.io/enable-profiling and dapr.io/enable-debug are not true.", "They open pprof (7777) and a debugger (40000) without authentication.", "Remove dapr.io/enable-profiling and dapr.io/enable-debug (or set them to \"false\").", SidecarRules.NoProfiling);
        yield return Rule("DAPR-SIDECAR-004", High, Cluster, "Sidecar was injected", "Running pods of a workload with dapr.io/enabled have a daprd container.", "The injector admits pods it may not inject (webhook failurePolicy Ignore, allowedServiceAccounts) without a sidecar: the app runs unprotected and unscoped.", "Check the injector (Get-DaprControlPlane) and its allowedServiceAccounts, then kubectl rollout restart the workload.", SidecarRules.Injected);
        yield return Rule("DAPR-SIDECAR-005", Medium, Both, "dapr.io annotations are known", "Every dapr.io/ pod annotation is one the injector reads.", "A typo such as dapr.io/app-token-secrets is silently ignored, so the protection it names is missing.", "Rename the annotation to the one named in the message.", SidecarRules.KnownAnnotations);

        yield return Rule("DAPR-TOKEN-001", High, Both, "API token where the threat model needs one", "dapr.io/api-token-secret is set when the pod has several containers (native sidecars included), uses hostNetwork, listens beyond loopback (dapr.io/sidecar-listen-addresses), or a Service or Ingress reaches ports 3500 or 50001.", "Then code other than the app can call the Dapr API, and only a token tells them apart.", "New-DaprAppToken -Kind Api | Set-DaprTokenSecret -Namespace <ns> -PassThru | Restart-DaprDeployment, with dapr.io/api-token-secret: dapr-api-token.", ApiTokenRules.NeededTokenSet);
        yield return Rule("DAPR-TOKEN-002", High, Cluster, "Token secrets are usable", "The secrets named by dapr.io/api-token-secret and dapr.io/app-token-secret exist in the namespace with a well-formed token key.", "A missing secret or key fails new pods with CreateContainerConfigError; a trailing newline makes a token that never matches.", "Set-DaprTokenSecret -Namespace <ns> (Get-DaprTokenSecret shows Dangling, MissingKey and Malformed).", ApiTokenRules.SecretsUsable);
        yield return Rule("DAPR-TOKEN-003", Medium, Cluster, "Tokens are rotated", "A referenced token changed within -MaxTokenAgeDays (default 90), by daprsecurity.io/token-updated-at or else the secret's creation time.", "Dapr tokens never expire by themselves; a leaked one stays valid until rotated.", "New-DaprAppToken | Set-DaprTokenSecret -Namespace <ns> -PassThru | Restart-DaprDeployment -Wait.", ApiTokenRules.TokenFresh);
        yield return Rule("DAPR-TOKEN-004", Info, Both, "App token is checked by the app", "dapr.io/app-token-secret is set (informational).", "Dapr only sends the app token; nothing checks it unless the app compares the dapr-api-token header (dapr/dapr#6533).", "Make the app check the header, and prove it with Test-DaprTokenEnforcement.", ApiTokenRules.AppTokenChecked);

        yield return Rule("DAPR-AUDIT-001", Medium, Both, "Suppressions say why", "Every daprsecurity.io/ignore entry and -SuppressionPath entry has a rule id and a reason (and a valid expires date).", "A suppression nobody can explain hides a finding for good; one without a reason suppresses nothing.", "Write RULE-ID=<reason> in daprsecurity.io/ignore, or add reason: to the suppression file entry.", ByTheRun);
        yield return Rule("DAPR-AUDIT-002", High, Both, "Everything selected was read", "Every namespace pattern matched, every list call and manifest file could be read (templates holding {{ are Skipped).", "A gate that cannot read its target must not pass: an unreadable file or a forbidden list would hide every finding in it.", "Fix the access (kubectl auth can-i list <kind> -A) or the file named in the message; render templates before scanning.", ByTheRun);

        yield return Rule("DAPR-CONFIG-001", Medium, Both, "Service invocation is restricted", "The app's Configuration has access control policies, or a defaultAction other than allow.", "Without them every app in the cluster may invoke every method of this app.", "In the app's Configuration: spec.accessControl: {defaultAction: deny, trustDomain: public, policies: [{appId: <caller>, defaultAction: allow, namespace: <ns>}]}.", ConfigurationRules.InvocationRestricted);
        yield return Rule("DAPR-CONFIG-002", Info, Both, "Dapr APIs are allow-listed", "The app's Configuration sets spec.api.allowed.", "An allow list limits what a compromised app can ask its sidecar for.", "In the app's Configuration: spec.api.allowed: [{name: state, version: v1.0, protocol: http}, ...].", ConfigurationRules.ApiAllowList);
    }

    /// <summary>Results the audit itself produces (suppressions, read problems): they come from the run, not from a snapshot.</summary>
    private static IEnumerable<RuleFinding> ByTheRun(AuditSnapshot snapshot) => Enumerable.Empty<RuleFinding>();

    private static AuditRule Rule(string id, DaprSeverity severity, DaprRuleTarget appliesTo, string title, string checks, string why, string remediation, Func<AuditSnapshot, IEnumerable<RuleFinding>> evaluate)
        => new(new DaprSecurityRule
        {
            Id = id,
            Area = id.Split('-')[1],
            Severity = severity,
            AppliesTo = appliesTo,
            Title = title,
            Description = checks,
            Rationale = why,
            Remediation = remediation,
            HelpUri = HelpBase + id.ToLowerInvariant(),
        }, evaluate);
}
