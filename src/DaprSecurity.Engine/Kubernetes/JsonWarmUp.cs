using k8s;
using k8s.Models;

namespace DaprSecurity.Engine.Kubernetes;

/// <summary>
/// Prepares, on another core, the client's JSON reading of the lists a first command reads (namespaces, workloads,
/// pods, secrets) while that command is still parsing the kubeconfig and waiting for its first answer: the client's
/// source-generated JSON context builds each type's metadata on first use, which a fresh process otherwise pays on the
/// command's critical path (about 0.1 s of a cold first command, measured side by side; see docs/architecture.md,
/// "Cold start"). Once per process; it reads nothing from the cluster and its failures change nothing.
/// </summary>
internal static class JsonWarmUp
{
    private const string Workload = """{"metadata":{"name":"a","annotations":{"a":"b"}},"spec":{"template":{"metadata":{"annotations":{"a":"b"}},"spec":{"containers":[{"name":"a","env":[{"name":"a"}],"ports":[{"containerPort":1}]}]}}},"status":{"replicas":1}}""";

    private static int s_started;

    public static void StartOnce()
    {
        if (Interlocked.Exchange(ref s_started, 1) == 0)
        {
            _ = Task.Run(Run);
        }
    }

    private static void Run()
    {
        try
        {
            KubernetesJson.Deserialize<V1NamespaceList>("""{"items":[{"metadata":{"name":"a"},"status":{"phase":"Active"}}]}""");
            KubernetesJson.Deserialize<V1DeploymentList>($$"""{"items":[{{Workload}}]}""");
            KubernetesJson.Deserialize<V1StatefulSetList>($$"""{"items":[{{Workload}}]}""");
            KubernetesJson.Deserialize<V1DaemonSetList>($$"""{"items":[{{Workload}}]}""");
            KubernetesJson.Deserialize<V1SecretList>("""{"items":[{"metadata":{"name":"a"},"data":{"a":"YQ=="}}]}""");
            KubernetesJson.Deserialize<V1PodList>("""{"items":[{"metadata":{"name":"a"},"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Running"}}]}""");
        }
        catch (Exception)
        {
            // Only a head start: the command reads the same types itself, and reports its own failures.
        }
    }
}
