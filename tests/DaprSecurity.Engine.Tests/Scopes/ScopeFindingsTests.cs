using System.Text.Json.Nodes;
using DaprSecurity.Engine.Scopes;
using Xunit;

namespace DaprSecurity.Engine.Tests.Scopes;

public sealed class ScopeFindingsTests
{
    [Fact]
    public void A_misspelled_key_the_server_dropped_is_found_in_the_last_applied_configuration()
    {
        var component = Live("""{"apiVersion":"dapr.io/v1alpha1","kind":"Component","metadata":{"name":"statestore","namespace":"shop"},"scope":["order-api"],"spec":{"type":"state.redis","version":"v1"}}""", new JsonObject());

        var finding = Assert.Single(new ScopeFindings(component, null, ScopeOutput.NoLines).CheckKeys().CheckLastApplied().All);

        Assert.Equal("ScopeKeyDroppedByServer", finding.Code);
        Assert.Equal("shop/statestore", finding.Component);
        Assert.Contains("was applied with 'scope'", finding.Message);
        Assert.Null(finding.Path);
    }

    [Fact]
    public void A_key_still_on_the_live_object_is_reported_once()
    {
        var component = Live("""{"metadata":{"name":"statestore","namespace":"shop"},"spec":{"scopes":["a"]}}""", new JsonObject { ["scopes"] = new JsonArray("a") });

        var findings = new ScopeFindings(component, null, ScopeOutput.NoLines).CheckKeys().CheckLastApplied().All;

        Assert.Equal("ScopesMisplaced", Assert.Single(findings).Code);
    }

    [Fact]
    public void A_last_applied_annotation_that_is_not_json_is_ignored()
        => Assert.Empty(new ScopeFindings(Live("not json", new JsonObject()), null, ScopeOutput.NoLines).CheckLastApplied().All);

    [Fact]
    public void Ten_thousand_unknown_app_ids_are_ten_thousand_findings_without_the_whole_list_in_each()
    {
        var scopes = new JsonArray(Enumerable.Range(0, 10_000).Select(i => (JsonNode?)JsonValue.Create($"app{i}")).ToArray());
        var component = new ComponentDocument(new JsonObject { ["metadata"] = new JsonObject { ["name"] = "wide", ["namespace"] = "shop" }, ["scopes"] = scopes });
        var before = GC.GetAllocatedBytesForCurrentThread();

        var findings = new ScopeFindings(component, "c.yaml", (_, item) => item + 7).CheckKnownApps(new HashSet<string>()).All;

        // Each message once wrote out all 10,000 scopes: gigabytes for one component (a hostile file took a minute).
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 50_000_000);
        Assert.Equal(10_000, findings.Count);
        Assert.Equal("Component 'shop/wide' (c.yaml:10006) lists 'app9999' in scopes, but no Dapr workload in namespace 'shop' has that app-id.", findings[^1].Message);
    }

    private static ComponentDocument Live(string lastApplied, JsonObject spec) => new(new JsonObject
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = "statestore",
            ["namespace"] = "shop",
            ["annotations"] = new JsonObject { ["kubectl.kubernetes.io/last-applied-configuration"] = lastApplied },
        },
        ["spec"] = spec,
    });
}
