using System.Text.Json.Nodes;
using DaprSecurity.Engine.Scopes;
using Xunit;

namespace DaprSecurity.Engine.Tests.Scopes;

/// <summary>Topic access per app, checked against the cases of dapr/dapr pkg/runtime/pubsub adapter_test.go and pkg/scopes.</summary>
public sealed class PubSubTopicRulesTests
{
    [Theory]
    [InlineData("", "", "", "app1", "all topics")]
    [InlineData("app1=orders,payments;app2=audit", "", "", "app1", "orders, payments")]
    [InlineData("app1=orders;app2=audit", "", "", "app3", "all topics")]
    [InlineData("app1=", "", "", "app1", "no topics")]
    [InlineData("", "orders, payments", "", "app1", "orders, payments")]
    [InlineData("app1=orders,audit", "orders", "", "app1", "orders")]
    [InlineData("", "", "payments", "app1", "all topics except payments")]
    [InlineData("app1=payments", "", "payments", "app1", "payments")]
    [InlineData("", "orders,payments", "payments", "app1", "orders")]
    [InlineData("app1 = orders ; app1=audit", "", "", "app1", "orders, audit")]
    public void Publish_access_follows_dapr(string publishingScopes, string allowedTopics, string protectedTopics, string appId, string expected)
    {
        var rules = PubSubTopicRules.From(PubSub(("publishingScopes", publishingScopes), ("ALLOWEDTOPICS", allowedTopics), ("protectedTopics", protectedTopics)))!;

        Assert.Equal(expected, rules.Publish(appId).ToString());
    }

    [Fact]
    public void Subscribing_is_scoped_by_subscription_scopes_alone()
    {
        var rules = PubSubTopicRules.From(PubSub(("publishingScopes", "app1="), ("subscriptionScopes", "app1=orders")))!;

        Assert.Equal("no topics", rules.Publish("app1").ToString());
        Assert.Equal("orders", rules.Subscribe("app1").ToString());
        Assert.Equal(new[] { "app1" }, rules.NamedAppIds());
    }

    [Fact]
    public void Rules_set_from_a_secret_cannot_be_evaluated_and_say_so()
    {
        var component = PubSub(("publishingScopes", "app1=orders"));
        ((JsonArray)component.Json["spec"]!["metadata"]!).Add(new JsonObject { ["name"] = "protectedTopics", ["secretKeyRef"] = new JsonObject { ["name"] = "topics", ["key"] = "protected" } });
        var rules = PubSubTopicRules.From(new ComponentDocument(component.Json))!;

        Assert.False(rules.Publish("app1").IsKnown);
        Assert.Equal("(from secret topics)", rules.ToOutput().ProtectedTopics);
        Assert.Equal("app1=orders", rules.ToOutput().PublishingScopes);
    }

    [Fact]
    public void Only_pubsub_components_have_topic_rules()
        => Assert.Null(PubSubTopicRules.From(new ComponentDocument(new JsonObject { ["spec"] = new JsonObject { ["type"] = "state.redis" } })));

    private static ComponentDocument PubSub(params (string Name, string Value)[] metadata)
        => new(new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["type"] = "pubsub.redis",
                ["metadata"] = new JsonArray(metadata.Where(m => m.Value.Length > 0).Select(m => (JsonNode)new JsonObject { ["name"] = m.Name, ["value"] = m.Value }).ToArray()),
            },
        });
}
