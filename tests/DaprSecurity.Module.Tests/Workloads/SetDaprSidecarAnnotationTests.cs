using System.Text.Json.Nodes;
using DaprSecurity.Module.Tests.Infrastructure;

namespace DaprSecurity.Module.Tests.Workloads;

public sealed class SetDaprSidecarAnnotationTests : IClassFixture<ClusterFixture>, IDisposable
{
    private readonly ClusterFixture _cluster;
    private readonly PowerShellSession _session;

    public SetDaprSidecarAnnotationTests(ClusterFixture cluster)
    {
        _cluster = cluster;
        _session = cluster.NewSession();
    }

    private KubeApiServer.KubeApiServer Server => _cluster.Server;

    [Fact]
    public void Sets_annotations_and_mounts_the_tokens_in_app_containers_with_secretKeyRef()
    {
        DaprApps.Deploy(Server, "annot-a", "orders", appTokenSecret: "app-api-token");
        DaprApps.Secret(Server, "annot-a", "app-api-token", "a");
        DaprApps.Secret(Server, "annot-a", "dapr-api-token", "b");
        const string set = "Get-DaprDeployment -Namespace annot-a | Set-DaprSidecarAnnotation -ApiTokenSecret dapr-api-token -ListenAddresses 0.0.0.0 -EnableApiLogging $true -MountTokenInApp -PassThru -Verbose";

        var first = _session.Run(set).ThrowOnError();
        var second = _session.Run(set).ThrowOnError();

        var template = DaprApps.Deployment(Server, "annot-a", "orders")["spec"]!["template"]!;
        var annotations = template["metadata"]!["annotations"]!;
        Assert.Equal(("dapr-api-token", "0.0.0.0", "true"), (Text(annotations["dapr.io/api-token-secret"]), Text(annotations["dapr.io/sidecar-listen-addresses"]), Text(annotations["dapr.io/enable-api-logging"])));
        var env = template["spec"]!["containers"]![0]!["env"]!.AsArray();
        Assert.Equal(
            new[] { ("APP_API_TOKEN", "app-api-token", "token"), ("DAPR_API_TOKEN", "dapr-api-token", "token") },
            env.Select(e => (Text(e!["name"]), Text(e!["valueFrom"]!["secretKeyRef"]!["name"]), Text(e!["valueFrom"]!["secretKeyRef"]!["key"]))).Order());
        Assert.Equal("dapr-api-token", (string)Assert.Single(first.Output).Properties["ApiTokenSecret"].Value);
        Assert.Contains(first.Warnings, w => w.Contains("expose the Dapr API"));
        Assert.Contains(first.Warnings, w => w.Contains("Changed the pod template of 1 workload"));
        Assert.Contains(second.Verbose, v => v.Contains("Deployment annot-a/orders already has"));
        Assert.DoesNotContain(second.Warnings, w => w.Contains("Changed the pod template"));
        Assert.Equal(2, DaprApps.Generation(Server, "annot-a", "orders"));
    }

    [Fact]
    public void A_secret_missing_from_the_namespace_is_an_error_unless_forced()
    {
        DaprApps.Deploy(Server, "annot-b", "orders");

        var refused = _session.Run("Set-DaprSidecarAnnotation -Namespace annot-b -AppTokenSecret not-created-yet");
        var forced = _session.Run("Set-DaprSidecarAnnotation -Namespace annot-b -Name ord* -AppTokenSecret not-created-yet -Force").ThrowOnError();

        var error = Assert.Single(refused.AllErrors);
        Assert.Equal("TokenSecretNotFound", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("CreateContainerConfigError", error.ToString());
        Assert.Empty(forced.Output);
        Assert.Equal(2, DaprApps.Generation(Server, "annot-b", "orders"));
    }

    [Fact]
    public void An_empty_string_removes_an_annotation_and_WhatIf_changes_nothing()
    {
        DaprApps.Deploy(Server, "annot-c", "orders", appTokenSecret: "app-api-token");

        var screen = _session.Render("Set-DaprSidecarAnnotation -Namespace annot-c -AppTokenSecret '' -WhatIf");
        Assert.Contains("remove dapr.io/app-token-secret", screen);
        Assert.Equal(1, DaprApps.Generation(Server, "annot-c", "orders"));

        _session.Run("Set-DaprSidecarAnnotation -Namespace annot-c -AppTokenSecret ''").ThrowOnError();
        Assert.Null(DaprApps.Deployment(Server, "annot-c", "orders")["spec"]!["template"]!["metadata"]!["annotations"]!["dapr.io/app-token-secret"]);
    }

    [Fact]
    public void Nothing_to_change_is_an_error()
    {
        var result = _session.Run("Set-DaprSidecarAnnotation -Namespace default");

        Assert.Equal("SidecarSettingRequired", Assert.Single(result.AllErrors).FullyQualifiedErrorId.Split(',')[0]);
    }

    public void Dispose() => _session.Dispose();

    private static string Text(JsonNode? node) => node!.GetValue<string>();
}
