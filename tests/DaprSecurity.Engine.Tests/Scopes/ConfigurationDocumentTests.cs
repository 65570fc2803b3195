using System.Text.Json.Nodes;
using DaprSecurity.Engine.Scopes;
using Xunit;

namespace DaprSecurity.Engine.Tests.Scopes;

public sealed class ConfigurationDocumentTests
{
    [Theory]
    [InlineData("{}", "allow")]
    [InlineData("""{"accessControl":{"defaultAction":"Deny"}}""", "deny")]
    [InlineData("""{"accessControl":{"trustDomain":"public"}}""", "deny")]
    [InlineData("""{"accessControl":{"trustDomain":"public","policies":[]}}""", "allow")]
    [InlineData("""{"accessControl":{"policies":[{"appId":"a","namespace":"n","trustDomain":"public"}]}}""", "deny")]
    [InlineData("""{"accessControl":{"defaultAction":"allow","policies":[{"appId":"a"}]}}""", "allow")]
    public void Invocation_default_action_follows_dapr_acl_parsing(string spec, string expected)
        => Assert.Equal(expected, Configuration(spec).InvocationDefaultAction);

    [Fact]
    public void Secret_scopes_are_read_per_store()
    {
        var configuration = Configuration("""{"secrets":{"scopes":[{"storeName":"vault","defaultAccess":"DENY","allowedSecrets":["db"]},{"storeName":"kubernetes","deniedSecrets":["admin"]}]}}""");

        Assert.Equal("only db", configuration.SecretScopes["vault"].ToString());
        Assert.Equal("all secrets except admin", configuration.SecretScopes["kubernetes"].ToString());
        Assert.Equal("no secrets", Configuration("""{"secrets":{"scopes":[{"storeName":"s","defaultAccess":"deny"}]}}""").SecretScopes["s"].ToString());
    }

    [Fact]
    public void The_component_deny_list_matches_type_and_optional_version()
    {
        var configuration = Configuration("""{"components":{"deny":["bindings.smtp","state.redis/v2"]}}""");

        Assert.True(configuration.Denies(Component("bindings.smtp", "v1")));
        Assert.True(configuration.Denies(Component("state.redis", "v2")));
        Assert.False(configuration.Denies(Component("state.redis", "v1")));
        Assert.True(configuration.Denies(Component("state.redis", "")));
        Assert.False(Configuration("{}").Denies(Component("state.redis", "")));
    }

    private static ConfigurationDocument Configuration(string spec)
        => new(new JsonObject { ["metadata"] = new JsonObject { ["name"] = "appconfig" }, ["spec"] = JsonNode.Parse(spec) });

    private static ComponentDocument Component(string type, string version)
        => new(new JsonObject { ["spec"] = new JsonObject { ["type"] = type, ["version"] = version } });
}
