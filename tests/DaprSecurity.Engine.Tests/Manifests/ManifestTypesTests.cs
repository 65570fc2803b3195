using System.Text.Json;
using DaprSecurity.Engine.Manifests;
using k8s.Models;
using Xunit;

namespace DaprSecurity.Engine.Tests.Manifests;

/// <summary>A model type read from a document's tree (its JSON text) is the one read from its JSON view.</summary>
public sealed class ManifestTypesTests
{
    [Fact]
    public void A_workload_reads_the_same_from_the_tree_and_from_its_json_view()
    {
        const string Yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: "orders <v2>"
              labels: {app: orders, empty: ""}
              annotations:
                note: ~
            spec:
              replicas: "2"
              paused: yes
              template:
                metadata:
                  annotations:
                    dapr.io/enabled: "true"
                    dapr.io/app-port: 8080
                    dapr.io/config: 'é ''quoted'''
                spec:
                  hostNetwork: off
                  containers:
                  - name: orders
                    args: [--port, "8080", ~]
                    ports: [{containerPort: 8080, protocol: TCP}]
            """;
        var document = Assert.Single(ManifestParser.Parse(Yaml, "d.yaml"));
        var fromTree = ManifestTypes.As<V1Deployment>(document.Root!);
        var fromJson = ManifestTypes.As<V1Deployment>(ManifestJson.KubernetesObject(document, "d.yaml")!);

        Assert.Equal(JsonSerializer.Serialize(fromJson), JsonSerializer.Serialize(fromTree));
        Assert.Equal(2, fromTree.Spec.Replicas);
        Assert.True(fromTree.Spec.Paused);
        Assert.Equal("é 'quoted'", fromTree.Spec.Template.Metadata.Annotations["dapr.io/config"]);
        Assert.Equal(new[] { "--port", "8080", null }, fromTree.Spec.Template.Spec.Containers[0].Args);
    }

    [Fact]
    public void A_value_of_the_wrong_type_names_its_field_from_either_view()
    {
        var document = Assert.Single(ManifestParser.Parse("apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: many\n", "d.yaml"));
        var fromTree = Assert.Throws<InvalidDataException>(() => ManifestTypes.As<V1Deployment>(document.Root!));
        var fromJson = Assert.Throws<InvalidDataException>(() => ManifestTypes.As<V1Deployment>(ManifestJson.KubernetesObject(document, "d.yaml")!));
        Assert.Equal("the value of spec.replicas has the wrong type", fromTree.Message);
        Assert.Equal(fromJson.Message, fromTree.Message);

        // The failed read leaves nothing behind for the next one on this thread.
        var next = Assert.Single(ManifestParser.Parse("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: next}\n", "n.yaml"));
        Assert.Equal("next", ManifestTypes.As<V1Deployment>(next.Root!).Metadata.Name);
    }
}
