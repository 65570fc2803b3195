using System.Globalization;
using DaprSecurity.Engine.Audit.Model;
using DaprSecurity.Engine.Dapr;
using DaprSecurity.Engine.Tokens;
using k8s.Models;

namespace DaprSecurity.Engine.Audit.Rules;

/// <summary>API tokens: where the threat model needs one, and whether the referenced secrets are usable and fresh.</summary>
internal static class ApiTokenRules
{
    private static readonly HashSet<int> s_apiPorts = new() { 3500, 50001 };
    private static readonly HashSet<string> s_apiPortNames = new(StringComparer.Ordinal) { "dapr-http", "dapr-grpc" };

    /// <summary>DAPR-TOKEN-001: dapr.io/api-token-secret where other code can reach the Dapr API.</summary>
    public static IEnumerable<RuleFinding> NeededTokenSet(AuditSnapshot snapshot)
        => DaprApps.Of(snapshot).Select(app =>
        {
            var reasons = Exposure(app, snapshot).ToList();
            var token = app.Annotation(DaprAnnotations.ApiTokenSecret);
            var at = app.AnnotationPath(DaprAnnotations.ApiTokenSecret);
            return (reasons.Count, token) switch
            {
                (0, _) => RuleFinding.Pass(app.Resource, token is null ? "No token needed: one container, no host network, the API on loopback only, and no Service or Ingress reaches ports 3500 or 50001." : $"Protected by token secret '{token}'.", at),
                (_, not null) => RuleFinding.Pass(app.Resource, $"Protected by token secret '{token}' ({string.Join("; ", reasons)}).", at),
                _ => RuleFinding.Fail(app.Resource, $"No {DaprAnnotations.ApiTokenSecret}, but other code can reach the Dapr API: {string.Join("; ", reasons)}.", app.AnnotationsPath),
            };
        });

    /// <summary>DAPR-TOKEN-002 (cluster): the secrets named by api-token-secret and app-token-secret exist, with a well-formed token key.</summary>
    public static IEnumerable<RuleFinding> SecretsUsable(AuditSnapshot snapshot)
    {
        foreach (var (app, annotation, name) in References(snapshot))
        {
            var at = app.AnnotationPath(annotation);
            if (snapshot.Cluster?.SecretsError is { } error)
            {
                yield return RuleFinding.Fail(app.Resource, $"Not checked: {error}", at) with { IsError = true };
                continue;
            }

            var secret = snapshot.Secret(app.Resource.Namespace, name);
            yield return secret switch
            {
                null => RuleFinding.Fail(app.Resource, $"{annotation} names secret '{name}', which does not exist in namespace '{app.Resource.Namespace}': new pods fail with CreateContainerConfigError.", at),
                _ when !secret.Keys.Contains(TokenKinds.SecretKey) => RuleFinding.Fail(app.Resource, $"Secret '{name}' ({annotation}) has no '{TokenKinds.SecretKey}' key, the only key Dapr reads: new pods fail with CreateContainerConfigError.", at),
                { TokenProblem: { } problem } => RuleFinding.Fail(app.Resource, $"The token in secret '{name}' ({annotation}) is malformed: {problem}", at),
                _ => RuleFinding.Pass(app.Resource, $"Secret '{name}' ({annotation}) holds a well-formed token.", at),
            };
        }
    }

    /// <summary>DAPR-TOKEN-003 (cluster): a referenced token not changed for more than -MaxTokenAgeDays.</summary>
    public static IEnumerable<RuleFinding> TokenFresh(AuditSnapshot snapshot)
    {
        var secrets = References(snapshot)
            .Select(r => snapshot.Secret(r.App.Resource.Namespace, r.Name))
            .OfType<AuditSecret>()
            .Where(s => s.Keys.Contains(TokenKinds.SecretKey))
            .DistinctBy(s => (s.Resource.Namespace, s.Resource.Name));
        foreach (var secret in secrets)
        {
            if (secret.TokenUpdatedAt is not { } updated)
            {
                continue;
            }

            var days = (int)Math.Floor((snapshot.Now - updated).TotalDays);
            yield return days > snapshot.MaxTokenAgeDays
                ? RuleFinding.Fail(secret.Resource, $"The token was last changed {days} days ago ({updated:yyyy-MM-dd}); the limit is {snapshot.MaxTokenAgeDays} days.")
                : RuleFinding.Pass(secret.Resource, $"The token was changed {days} days ago.");
        }
    }

    /// <summary>DAPR-TOKEN-004 (Info): dapr.io/app-token-secret only protects the app if the app checks the header.</summary>
    public static IEnumerable<RuleFinding> AppTokenChecked(AuditSnapshot snapshot)
        => DaprApps.Of(snapshot).Select(app => app.Annotation(DaprAnnotations.AppTokenSecret) is { } name
            ? RuleFinding.Fail(app.Resource, $"{DaprAnnotations.AppTokenSecret} is '{name}': Dapr only sends the token; the app must compare the dapr-api-token header with APP_API_TOKEN itself.", app.AnnotationPath(DaprAnnotations.AppTokenSecret))
            : RuleFinding.Pass(app.Resource, $"{DaprAnnotations.AppTokenSecret} is not set.", app.AnnotationsPath));

    private static IEnumerable<(AuditWorkload App, string Annotation, string Name)> References(AuditSnapshot snapshot)
        => DaprApps.Of(snapshot).SelectMany(app => new[] { DaprAnnotations.ApiTokenSecret, DaprAnnotations.AppTokenSecret }
            .Select(annotation => (App: app, Annotation: annotation, Name: app.Annotation(annotation)))
            .Where(r => !string.IsNullOrEmpty(r.Name))
            .Select(r => (r.App, r.Annotation, r.Name!)));

    /// <summary>Why code other than the app can reach the sidecar's API (the guide's threat model).</summary>
    private static IEnumerable<string> Exposure(AuditWorkload app, AuditSnapshot snapshot)
    {
        // Native sidecars (init containers that keep running) share the pod's network like any other container.
        var containers = (app.Spec.Containers ?? new List<V1Container>())
            .Concat((app.Spec.InitContainers ?? new List<V1Container>()).Where(c => c.RestartPolicy == "Always"))
            .Where(c => c.Name != "daprd")
            .ToList();
        if (containers.Count > 1)
        {
            yield return $"{containers.Count} containers share the pod's network ({string.Join(", ", containers.Select(c => c.Name))})";
        }

        if (app.Spec.HostNetwork == true)
        {
            yield return "hostNetwork: true puts the API on the node's network";
        }

        if (SidecarRules.NonLoopbackAddresses(app) is { Count: > 0 } addresses)
        {
            yield return $"{DaprAnnotations.ListenAddresses} '{app.Annotation(DaprAnnotations.ListenAddresses)}' puts the API on {string.Join(", ", addresses)}, reachable from the pod network";
        }

        var services = snapshot.ServicesIn(app.Resource.Namespace).Where(s => Selects(s.Service, app) && !IsDaprManaged(s.Service)).ToList();
        foreach (var (resource, service) in services)
        {
            foreach (var port in (service.Spec?.Ports ?? new List<V1ServicePort>()).Where(p => ReachesApi(p, app)))
            {
                yield return $"Service '{resource.Name}' port {port.Port} reaches the Dapr API (target {port.TargetPort?.Value ?? port.Port.ToString(CultureInfo.InvariantCulture)})";
                foreach (var (ingress, _) in snapshot.IngressesIn(app.Resource.Namespace).Where(i => Backends(i.Ingress).Any(b => b.Service == resource.Name && (b.Port == port.Port || (b.PortName is not null && b.PortName == port.Name)))))
                {
                    yield return $"Ingress '{ingress.Name}' routes to it from outside the cluster";
                }
            }
        }
    }

    private static bool Selects(V1Service service, AuditWorkload app)
        => service.Spec?.Selector is { Count: > 0 } selector && selector.All(l => app.PodLabels.TryGetValue(l.Key, out var v) && v == l.Value);

    /// <summary>The operator's own &lt;app-id&gt;-dapr Service (name resolution) is not an exposure the user chose.</summary>
    private static bool IsDaprManaged(V1Service service) => service.Metadata?.Labels?.ContainsKey(DaprAnnotations.Enabled) == true && service.Metadata.Name.EndsWith("-dapr", StringComparison.Ordinal);

    /// <summary>
    /// A Service port reaches the API when its target (targetPort, or the port itself when unset) is 3500 or 50001,
    /// or names the sidecar's dapr-http or dapr-grpc port or an app container port with one of those numbers.
    /// </summary>
    private static bool ReachesApi(V1ServicePort port, AuditWorkload app)
    {
        var target = port.TargetPort?.Value ?? port.Port.ToString(CultureInfo.InvariantCulture);
        if (int.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return s_apiPorts.Contains(number);
        }

        return s_apiPortNames.Contains(target)
            || (app.Spec.Containers ?? new List<V1Container>()).SelectMany(c => c.Ports ?? new List<V1ContainerPort>()).Any(p => p.Name == target && s_apiPorts.Contains(p.ContainerPort));
    }

    private static IEnumerable<(string Service, int? Port, string? PortName)> Backends(V1Ingress ingress)
    {
        var spec = ingress.Spec;
        var backends = (spec?.Rules ?? new List<V1IngressRule>())
            .SelectMany(r => r.Http?.Paths ?? new List<V1HTTPIngressPath>())
            .Select(p => p.Backend)
            .Append(spec?.DefaultBackend);
        return backends.Where(b => b?.Service is not null).Select(b => (b!.Service.Name, b.Service.Port?.Number, b.Service.Port?.Name));
    }
}
