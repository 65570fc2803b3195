using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Http;
using DaprSecurity.KubeApiServer.Patching;

namespace DaprSecurity.KubeApiServer.Tests;

/// <summary>The three patch algorithms on plain documents.</summary>
public sealed class PatchTests
{
    [Fact]
    public void StrategicMergeMergesKeyedListsAndDropsOrderingDirectives()
    {
        var live = Parse("""
            {"spec":{"containers":[
              {"name":"app","image":"app:1","env":[{"name":"A","value":"1"},{"name":"B","value":"1"}],
               "ports":[{"containerPort":80,"protocol":"TCP"}],"volumeMounts":[{"mountPath":"/a","name":"a"}]},
              {"name":"side","image":"side:1"}]}}
            """);

        StrategicMergePatch.Apply(live, Parse("""
            {"spec":{"$setElementOrder/containers":[{"name":"app"},{"name":"side"}],"containers":[
              {"name":"app","image":"app:2","env":[{"name":"B","value":"2"},{"name":"C","value":"3"}],
               "ports":[{"containerPort":80,"name":"http"}],"volumeMounts":[{"mountPath":"/b","name":"b"}]},
              {"name":"side","$patch":"delete"}]}}
            """));

        Assert.True(JsonNode.DeepEquals(Parse("""
            {"spec":{"containers":[
              {"name":"app","image":"app:2","env":[{"name":"A","value":"1"},{"name":"B","value":"2"},{"name":"C","value":"3"}],
               "ports":[{"containerPort":80,"protocol":"TCP","name":"http"}],"volumeMounts":[{"mountPath":"/a","name":"a"},{"mountPath":"/b","name":"b"}]}]}}
            """), live), live.ToJsonString());
    }

    [Fact]
    public void StrategicMergeHonoursReplaceRetainKeysPrimitiveDeletesAndNulls()
    {
        var live = Parse("""
            {"metadata":{"finalizers":["a","b","c"],"labels":{"x":"1","y":"2"}},
             "spec":{"selector":{"a":"1","b":"2"},"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}},"args":["x"]}}
            """);

        StrategicMergePatch.Apply(live, Parse("""
            {"metadata":{"$deleteFromPrimitiveList/finalizers":["b"],"labels":{"y":null}},
             "spec":{"selector":{"$patch":"replace","c":"3"},"strategy":{"$retainKeys":["type"],"type":"Recreate"},"args":["y"]}}
            """));

        Assert.True(JsonNode.DeepEquals(Parse("""
            {"metadata":{"finalizers":["a","c"],"labels":{"x":"1"}},
             "spec":{"selector":{"c":"3"},"strategy":{"type":"Recreate"},"args":["y"]}}
            """), live), live.ToJsonString());
    }

    [Fact]
    public void ServicePortsMergeByPort()
    {
        var live = Parse("""{"spec":{"ports":[{"port":80,"targetPort":8080},{"port":443,"targetPort":8443}]}}""");

        StrategicMergePatch.Apply(live, Parse("""{"spec":{"ports":[{"port":443,"name":"https"}]}}"""));

        Assert.Equal("https", live["spec"]!["ports"]![1]!["name"]!.GetValue<string>());
        Assert.Equal(2, live["spec"]!["ports"]!.AsArray().Count);
    }

    [Fact]
    public void MergePatchReplacesListsDeletesNullsAndKeepsKeyOrder()
    {
        var live = Parse("""{"a":{"x":1,"y":2},"b":[1,2],"c":"keep"}""");

        var patched = MergePatch.Apply(live, Parse("""{"a":{"x":null,"z":3},"b":[3]}"""));

        Assert.Equal("""{"a":{"y":2,"z":3},"b":[3],"c":"keep"}""", patched!.ToJsonString());
    }

    [Fact]
    public void JsonPatchSupportsEveryOperation()
    {
        var document = Parse("""{"metadata":{"annotations":{"a/b":"1"}},"list":[1,2],"from":{"v":true}}""");

        var patched = JsonPatch.Apply(document, JsonNode.Parse("""
            [{"op":"test","path":"/metadata/annotations/a~1b","value":"1"},
             {"op":"replace","path":"/metadata/annotations/a~1b","value":"2"},
             {"op":"add","path":"/list/-","value":3},
             {"op":"add","path":"/list/0","value":0},
             {"op":"remove","path":"/list/1"},
             {"op":"copy","from":"/from","path":"/copied"},
             {"op":"move","from":"/from","path":"/moved"}]
            """)!.AsArray());

        Assert.Equal("""{"metadata":{"annotations":{"a/b":"2"}},"list":[0,2,3],"copied":{"v":true},"moved":{"v":true}}""", patched!.ToJsonString());
    }

    [Fact]
    public void JsonPatchFailuresAreUnprocessable()
    {
        var failedTest = Assert.Throws<ApiException>(() => JsonPatch.Apply(Parse("""{"a":1}"""),
            JsonNode.Parse("""[{"op":"test","path":"/a","value":2}]""")!.AsArray()));
        var missing = Assert.Throws<ApiException>(() => JsonPatch.Apply(Parse("""{"a":1}"""),
            JsonNode.Parse("""[{"op":"remove","path":"/b"}]""")!.AsArray()));

        Assert.Equal(422, failedTest.Code);
        Assert.Equal(422, missing.Code);
    }

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
