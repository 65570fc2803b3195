using System.Text;

namespace DaprSecurity.KubeApiServer.Dapr;

/// <summary>
/// The lab: a cluster as a team finds it before hardening Dapr, for trying the module and for the doc-tests. The
/// "Dapr installed" control plane with an issuer that expires in 20 days (the root in a year), and three app namespaces
/// (<c>shop</c>, <c>prod-eu</c>, <c>prod-us</c>) each running the guide's order-api, inventory-api and
/// notification-service with an unscoped statestore and pubsub. No API token secrets exist and no workload names one;
/// the statestore of <c>prod-eu</c> holds its Redis password in plain text instead of a <c>secretKeyRef</c>.
/// </summary>
public static class LabSeed
{
    public static readonly IReadOnlyList<string> AppNamespaces = ["shop", "prod-eu", "prod-us"];

    public static readonly IReadOnlyList<string> Apps = ["order-api", "inventory-api", "notification-service"];

    /// <summary>The namespace whose statestore carries a plaintext password.</summary>
    public const string PlaintextPasswordNamespace = "prod-eu";

    public static readonly TimeSpan RootValidity = TimeSpan.FromDays(365);

    public static readonly TimeSpan IssuerValidity = TimeSpan.FromDays(20);

    /// <summary>The control plane's trust bundle: root valid a year, issuer 20 days (plus the clock skew, so 20 days show).</summary>
    public static TrustBundle TrustBundle(string controlPlaneNamespace) =>
        Dapr.TrustBundle.Generate("cluster.local", controlPlaneNamespace, RootValidity, TimeSpan.FromMinutes(15), IssuerValidity + TimeSpan.FromHours(1));

    /// <summary>The app namespaces' manifests (the control plane comes from <see cref="DaprSeed"/>).</summary>
    public static string Render()
    {
        var yaml = new StringBuilder();
        foreach (var ns in AppNamespaces)
        {
            DaprSeed.Document(yaml, $$"""
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: {{ns}}
                  labels: {tier: backend}
                """);
            foreach (var manifest in Manifests(ns))
            {
                DaprSeed.Document(yaml, manifest.Yaml);
            }
        }
        return yaml.ToString();
    }

    /// <summary>
    /// Writes the manifests of namespace <c>shop</c> as a team keeps them in Git, one file per object:
    /// <c>apps/&lt;app&gt;.yaml</c> and <c>components/&lt;component&gt;.yaml</c>. The doc-tests' <c>./deploy</c>.
    /// </summary>
    public static void WriteManifests(string directory)
    {
        foreach (var manifest in Manifests(AppNamespaces[0]))
        {
            var file = Path.Combine(directory, manifest.Folder, manifest.Name + ".yaml");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, manifest.Yaml + "\n");
        }
    }

    private sealed record Manifest(string Folder, string Name, string Yaml);

    /// <summary>The Deployments and Components of one app namespace.</summary>
    private static IEnumerable<Manifest> Manifests(string ns)
    {
        foreach (var app in Apps)
        {
            yield return new Manifest("apps", app, App(ns, app));
        }
        yield return new Manifest("components", "statestore", DaprSeed.StateStore(ns, plaintextPassword: ns == PlaintextPasswordNamespace ? "lab-redis-password" : null));
        yield return new Manifest("components", "pubsub", DaprSeed.PubSub(ns));
    }

    private static string App(string ns, string app) => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{app}}
          namespace: {{ns}}
          labels: {app: {{app}}}
        spec:
          replicas: 1
          selector:
            matchLabels: {app: {{app}}}
          template:
            metadata:
              labels: {app: {{app}}}
              annotations:
                dapr.io/enabled: "true"
                dapr.io/app-id: {{app}}
                dapr.io/app-port: "8080"
            spec:
              containers:
              - name: {{app}}
                image: ghcr.io/example/{{app}}:1.0.0
                ports: [{containerPort: 8080}]
        """;
}
