using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Workloads;
using k8s.Models;
using Xunit;

namespace DaprSecurity.Engine.Tests.Workloads;

public sealed class SidecarPatchTests
{
    [Fact]
    public void Only_changed_annotations_are_patched_and_an_empty_value_removes_one()
    {
        var workload = Orders(new() { ["dapr.io/app-token-secret"] = "app-api-token", ["dapr.io/sidecar-listen-addresses"] = "127.0.0.1" });

        var patch = SidecarPatch.For(workload, Request(appTokenSecret: "app-api-token", apiTokenSecret: "dapr-api-token", listenAddresses: ""));

        Assert.Equal(
            "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"dapr.io/api-token-secret\":\"dapr-api-token\",\"dapr.io/sidecar-listen-addresses\":null}}}}}",
            patch!.ToJsonString());
    }

    [Fact]
    public void A_template_that_already_has_every_setting_needs_no_patch()
    {
        var workload = Orders(new() { ["dapr.io/enable-api-logging"] = "false" });

        Assert.Null(SidecarPatch.For(workload, Request(enableApiLogging: false)));
    }

    [Fact]
    public void Mounting_tokens_adds_secretKeyRef_env_to_app_containers_only_and_guards_with_the_resourceVersion()
    {
        var workload = Orders(new() { ["dapr.io/app-token-secret"] = "app-api-token" }, "daprd");

        var patch = SidecarPatch.For(workload, Request(mountTokenInApp: true))!;

        Assert.Equal("42", patch["metadata"]!["resourceVersion"]!.GetValue<string>());
        var containers = patch["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        var env = containers[0]!["env"]!.AsArray();
        Assert.Equal("{\"name\":\"APP_API_TOKEN\",\"valueFrom\":{\"secretKeyRef\":{\"name\":\"app-api-token\",\"key\":\"token\"}}}", Assert.Single(env)!.ToJsonString());
        Assert.Null(containers[1]!["env"]);
        Assert.Null(SidecarPatch.For(Orders(new() { ["dapr.io/app-token-secret"] = "app-api-token" }, env: env[0]!.ToJsonString()), Request(mountTokenInApp: true)));
    }

    private static SidecarAnnotationRequest Request(string? appTokenSecret = null, string? apiTokenSecret = null, string? listenAddresses = null, bool? enableApiLogging = null, bool mountTokenInApp = false)
        => new(new WorkloadSelection(Array.Empty<WorkloadReference>(), Array.Empty<string>(), null), appTokenSecret, apiTokenSecret, listenAddresses, enableApiLogging, mountTokenInApp, Force: false);

    private static Workload Orders(Dictionary<string, string> annotations, string? secondContainer = null, string? env = null)
    {
        var app = new V1Container { Name = "orders", Image = "orders:1" };
        if (env is not null)
        {
            app.Env = new List<V1EnvVar> { k8s.KubernetesJson.Deserialize<V1EnvVar>(env) };
        }

        var containers = new List<V1Container> { app };
        if (secondContainer is not null)
        {
            containers.Add(new V1Container { Name = secondContainer, Image = "daprd:1" });
        }

        return Workload.From(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "orders", NamespaceProperty = "prod", ResourceVersion = "42" },
            Spec = new V1DeploymentSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "orders" } },
                Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Annotations = annotations }, Spec = new V1PodSpec { Containers = containers } },
            },
        });
    }
}
