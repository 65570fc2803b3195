using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Scopes;
using DaprSecurity.Engine.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Engine.Tests.Scopes;

/// <summary>Several components of one file edited in one call: one write for all, and a component that cannot be edited leaves the others to be.</summary>
public sealed class ManifestFileEditTests
{
    private const string Yaml = """
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata: {name: first, namespace: shop}
        spec: {type: state.redis, version: v1}
        scopes:
        - order-api
        ---
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata: {name: broken, namespace: shop}
        spec: {type: state.redis, version: v1}
        scopes: order-api
        ---
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata: {name: last, namespace: shop}
        spec: {type: pubsub.redis, version: v1}

        """;

    [Fact]
    public void Edits_every_editable_component_of_a_file_in_one_write_and_reports_the_one_it_cannot_edit()
    {
        using var folder = new TempFolder();
        var path = folder.Write("components.yaml", Yaml);
        var host = new FakeEngineHost();
        var queries = new[] { "first", "broken", "last" }.Select(n => new ComponentQuery(new[] { "shop" }, new[] { n })).ToList();

        var results = new ComponentScopeService().ChangeInManifestsAsync(new[] { path }, queries, new ScopeChange(ScopeChangeKind.Add, new[] { "inventory-api" }, false), host, CancellationToken.None).ToBlockingEnumerable().ToList();

        Assert.Equal(new[] { "first", "last" }, results.Select(r => r.Name));
        Assert.All(results, r => Assert.Contains("inventory-api", r.Scopes));
        Assert.True(Assert.Single(host.Errors).Is(DaprErrors.ComponentScopesInvalid));
        Assert.Single(host.Messages, m => m == $"VERBOSE: {path}: wrote the new scopes of 2 components.");
        var text = File.ReadAllText(path);
        Assert.Equal(Yaml.Replace("- order-api\n---", "- order-api\n- inventory-api\n---") + "scopes:\n- inventory-api\n", text);
    }
}
