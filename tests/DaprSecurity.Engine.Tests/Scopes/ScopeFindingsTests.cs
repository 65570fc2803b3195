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
