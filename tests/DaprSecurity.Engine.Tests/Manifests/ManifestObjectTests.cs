using DaprSecurity.Engine.Manifests;
using DaprSecurity.Engine.Text;
using Xunit;

namespace DaprSecurity.Engine.Tests.Manifests;

/// <summary>A manifest object reads its text from the tree while the tree reads as its JSON view: the two must agree.</summary>
public sealed class ManifestObjectTests
{
    public static TheoryData<string> Documents => new()
    {
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a, namespace: ~}\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: [x, y]\n  namespace: {n: 1}\n",
        "apiVersion: v1\nkind: ''\nmetadata:\n  name: \"quoted\"\n",
        "apiVersion: v1\nkind:\n",
        "apiVersion: v1\nkind: ~\n",
        "kind: Pod\n",
        "apiVersion: v1\nkind: {a: b}\n",
        "- apiVersion: v1\n  kind: Pod\n",
        "just text\n",
        "apiVersion: v1\nkind: Pod\nmetadata: &m {name: anchored}\nspec: {template: {metadata: *m}}\n",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: one\n  name: two\n",
        "apiVersion: v1\nkind: Pod\nbase: &b {namespace: merged}\nmetadata:\n  <<: *b\n  name: m\n",
        "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    metadata:\n      annotations:\n        dapr.io/enabled: true\n        dapr.io/app-id: |\n          block\n",
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public void Reads_as_its_json_view_does(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"manifest-object-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        try
        {
            var file = ManifestFile.Read(path);
            var documents = ManifestParser.Parse(file.Text, path);
            var document = Assert.Single(documents);
            var json = ManifestJson.KubernetesObject(document, path);
            var obj = ManifestObject.Of(file, documents, document);
            Assert.Equal(json is null, obj is null);
            if (obj is null)
            {
                return;
            }

            string[][] paths = { new[] { "apiVersion" }, new[] { "kind" }, new[] { "metadata", "name" }, new[] { "metadata", "namespace" }, new[] { "metadata", "missing" }, new[] { "kind", "a" }, new[] { "spec", "template", "metadata", "annotations", "dapr.io/app-id" }, new[] { "spec", "template", "metadata", "name" } };
            foreach (var at in paths)
            {
                Assert.Equal(JsonText.Of(json, at), obj.Text(at));
            }

            Assert.Equal(JsonText.Of(json, "metadata", "name") ?? "", obj.Name);
            Assert.Equal(json!.ToJsonString(), obj.Json.ToJsonString());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
