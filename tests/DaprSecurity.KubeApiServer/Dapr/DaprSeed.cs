using System.Text;
using System.Text.Json;

namespace DaprSecurity.KubeApiServer.Dapr;

/// <summary>
/// Manifests of a cluster with Dapr installed the way the Helm chart does it: the control plane in its namespace
/// (operator, sentry and injector Deployments; placement and scheduler StatefulSets, with the chart's labels and
/// <c>dapr.io/control-plane</c> annotations), the <c>daprsystem</c> Configuration, the trust bundle Secret and ConfigMap
/// with a byte-identical <c>ca.crt</c>, and app namespaces with Dapr-enabled Deployments, token Secrets and components.
/// </summary>
public static class DaprSeed
{
    private static readonly (string Name, string ControlPlane, string Kind)[] ControlPlaneWorkloads =
    [
        ("dapr-operator", "operator", "Deployment"),
        ("dapr-sentry", "sentry", "Deployment"),
        ("dapr-sidecar-injector", "injector", "Deployment"),
        ("dapr-placement-server", "placement", "StatefulSet"),
        ("dapr-scheduler-server", "scheduler", "StatefulSet"),
    ];

    public static string Render(DaprSeedOptions options, TrustBundle bundle)
    {
        var ns = options.ControlPlaneNamespace;
        var yaml = new StringBuilder();
        Document(yaml, $$"""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: "{{ns}}"
            """);
        foreach (var (name, role, kind) in ControlPlaneWorkloads)
        {
            Document(yaml, ControlPlaneWorkload(ns, name, role, kind, options.Version));
        }
        Document(yaml, $$"""
            apiVersion: v1
            kind: Service
            metadata:
              name: dapr-sentry
              namespace: "{{ns}}"
              labels: {app: dapr-sentry}
            spec:
              selector: {app: dapr-sentry}
              ports: [{name: grpc, port: 443, targetPort: 50001, appProtocol: tls}]
            """);
        Document(yaml, $$"""
            apiVersion: dapr.io/v1alpha1
            kind: Configuration
            metadata:
              name: {{ControlPlane.SystemConfiguration}}
              namespace: "{{ns}}"
            spec:
              mtls:
                enabled: {{(options.MtlsEnabled ? "true" : "false")}}
                workloadCertTTL: 24h
                allowedClockSkew: 15m
                controlPlaneTrustDomain: cluster.local
                sentryAddress: dapr-sentry.{{ns}}.svc.cluster.local:443
            """);
        Document(yaml, $$"""
            apiVersion: v1
            kind: Secret
            metadata:
              name: {{ControlPlane.TrustBundle}}
              namespace: "{{ns}}"
              labels: {app: dapr-sentry}
            type: Opaque
            data:
              ca.crt: {{Base64(bundle.Root.CertificatePem)}}
              issuer.crt: {{Base64(bundle.Issuer.CertificatePem)}}
              issuer.key: {{Base64(bundle.Issuer.PrivateKeyPem)}}
            """);
        Document(yaml, $$"""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {{ControlPlane.TrustBundle}}
              namespace: "{{ns}}"
              labels: {app: dapr-sentry}
            data:
              ca.crt: {{JsonSerializer.Serialize(bundle.Root.CertificatePem)}}
            """);
        for (var i = 0; i < options.AppNamespaces.Count; i++)
        {
            AppNamespace(yaml, options.AppNamespaces[i], i);
        }
        return yaml.ToString();
    }

    /// <summary>The app name of a namespace: its last dash-separated part when that is a word (prod-orders → orders, app-0001 → app-0001).</summary>
    public static string AppName(string ns)
    {
        var last = ns[(ns.LastIndexOf('-') + 1)..];
        return last.Length >= 3 && char.IsAsciiLetter(last[0]) ? last : ns;
    }

    private static string ControlPlaneWorkload(string ns, string name, string role, string kind, string version) => $$"""
        apiVersion: apps/v1
        kind: {{kind}}
        metadata:
          name: {{name}}
          namespace: "{{ns}}"
          labels: {app: {{name}}, app.kubernetes.io/part-of: dapr, app.kubernetes.io/version: "{{version}}"}
        spec:
          replicas: 1
          {{(kind == "StatefulSet" ? $"serviceName: {name}" : "")}}
          selector:
            matchLabels: {app: {{name}}}
          template:
            metadata:
              labels: {app: {{name}}, app.kubernetes.io/part-of: dapr}
              annotations: {dapr.io/control-plane: {{role}}}
            spec:
              serviceAccountName: {{name}}
              containers:
              - name: {{name}}
                image: ghcr.io/dapr/{{role}}:{{version}}
        """;

    /// <summary>
    /// One app per namespace; the index varies what it has: every third app reads an API token, every third an app token,
    /// and every other statestore is scoped to its app (the rest are unscoped, as is every pubsub).
    /// </summary>
    private static void AppNamespace(StringBuilder yaml, string ns, int index)
    {
        var app = AppName(ns);
        var tokenAnnotation = (index % 3) switch
        {
            0 => "dapr.io/api-token-secret: dapr-api-token",
            1 => "dapr.io/app-token-secret: app-api-token",
            _ => null,
        };
        var tokenSecret = (index % 3) switch
        {
            0 => "dapr-api-token",
            1 => "app-api-token",
            _ => null,
        };
        Document(yaml, $$"""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: "{{ns}}"
            """);
        if (tokenSecret is not null)
        {
            Document(yaml, $$"""
                apiVersion: v1
                kind: Secret
                metadata:
                  name: {{tokenSecret}}
                  namespace: "{{ns}}"
                type: Opaque
                data:
                  token: {{Base64($"{ns}-{tokenSecret}-{index}")}}
                """);
        }
        Document(yaml, $$"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: "{{app}}"
              namespace: "{{ns}}"
              labels: {app: "{{app}}"}
            spec:
              replicas: 1
              selector:
                matchLabels: {app: "{{app}}"}
              template:
                metadata:
                  labels: {app: "{{app}}"}
                  annotations:
                    dapr.io/enabled: "true"
                    dapr.io/app-id: "{{app}}"
                    dapr.io/app-port: "8080"
                    {{tokenAnnotation ?? ""}}
                spec:
                  containers:
                  - name: "{{app}}"
                    image: ghcr.io/example/{{app}}:1.0.0
                    ports: [{containerPort: 8080}]
            """);
        Document(yaml, StateStore(ns, scopes: index % 2 == 0 ? $"[\"{app}\"]" : null));
        Document(yaml, PubSub(ns));
    }

    /// <summary>
    /// The Redis state store every seed gives an app namespace: its password from the secret redis, or in plain text
    /// (<paramref name="plaintextPassword"/>, the lab's finding); <paramref name="scopes"/> a YAML flow list, or none.
    /// </summary>
    internal static string StateStore(string ns, string? plaintextPassword = null, string? scopes = null) => $$"""
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: statestore
          namespace: {{ns}}
        spec:
          type: state.redis
          version: v1
          metadata:
          - name: redisHost
            value: redis-master.{{ns}}.svc.cluster.local:6379
          - name: redisPassword
            {{(plaintextPassword is null ? "secretKeyRef: {name: redis, key: redis-password}" : $"value: {plaintextPassword}")}}
        """ + (scopes is null ? "" : $"\nscopes: {scopes}");

    /// <summary>The Redis pub/sub every seed gives an app namespace, unscoped.</summary>
    internal static string PubSub(string ns) => $$"""
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: pubsub
          namespace: {{ns}}
        spec:
          type: pubsub.redis
          version: v1
          metadata:
          - name: redisHost
            value: redis-master.{{ns}}.svc.cluster.local:6379
        """;

    internal static void Document(StringBuilder yaml, string document) => yaml.Append("---\n").Append(document).Append('\n');

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
