using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Scopes;
using DaprSecurity.Engine.Tests.Infrastructure;
using DaprSecurity.Output;
using Xunit;

namespace DaprSecurity.Engine.Tests.Scopes;

/// <summary>Reading components from manifest folders: multi-document files, skipped documents, findings and bad files.</summary>
public sealed class ManifestReadingTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FakeEngineHost _host = new();

    [Fact]
    public void Reads_components_from_multi_document_files_in_nested_folders_and_skips_everything_else()
    {
        _folder.Write("base/components.yml", """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings}
            ---
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: statestore
              namespace: shop
            spec:
              type: state.redis
              version: v1
            scopes:
            - order-api
            ---
            # just a comment
            ---
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata: {name: pubsub, namespace: shop}
            spec:
              type: pubsub.redis
              version: v1
              metadata:
              - {name: publishingScopes, value: "order-api=orders"}
            """);
        _folder.Write("README.md", "apiVersion: dapr.io/v1alpha1\nkind: Component\n");
        _folder.Write(".git/hidden.yaml", "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {name: hidden}\n");

        var components = Get();

        Assert.Empty(_host.Errors);
        Assert.Equal(new[] { "statestore", "pubsub" }, components.Select(c => c.Name));
        var statestore = components[0];
        Assert.Equal(("shop", "state.redis", "v1", true), (statestore.Namespace, statestore.Type, statestore.Version, statestore.IsScoped));
        Assert.Equal(new[] { "order-api" }, statestore.Scopes);
        Assert.Equal(Path.Combine(_folder.Path, "base", "components.yml") + ":5", statestore.Source);
        Assert.Equal(5, statestore.Line);
        Assert.Null(statestore.Context);
        Assert.False(components[1].IsScoped);
        Assert.Equal("order-api=orders", components[1].TopicRules!.PublishingScopes);
        Assert.Null(statestore.TopicRules);
        Assert.Equal(new[] { "PROGRESS: Reading manifests 1 of 1: " + Path.Combine(_folder.Path, "base", "components.yml"), "PROGRESS: Reading manifests 1 of 1 done" }, _host.Messages.Where(m => m.StartsWith("PROGRESS", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("scope:\n- order-api\n", "ScopeKeyMisspelled", "'scope'", 8)]
    [InlineData("Scopes:\n- order-api\n", "ScopesKeyWrongCase", "'Scopes'", 8)]
    [InlineData("spec:\n  type: state.redis\n  version: v1\n  scopes: [order-api]\n", "ScopesMisplaced", "'spec.scopes'", 9)]
    public void Misspelled_and_misplaced_scopes_are_warnings_with_the_component_and_line(string scopes, string code, string key, int line)
    {
        var path = _folder.Write("c.yaml", "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: statestore\n  namespace: shop\nspec:\n  type: state.redis\n".Replace("spec:\n  type: state.redis\n", scopes.StartsWith("spec", StringComparison.Ordinal) ? "" : "spec:\n  type: state.redis\n", StringComparison.Ordinal) + scopes);

        var component = Assert.Single(Get());

        var finding = Assert.Single(component.Findings);
        Assert.Equal(code, finding.Code);
        Assert.Equal("shop/statestore", finding.Component);
        Assert.Equal((path, line), (finding.Path, finding.Line));
        Assert.Contains(key, finding.Message);
        Assert.Contains("every app in its namespace can load it", finding.Message);
        Assert.Equal("WARNING: " + finding.Message, Assert.Single(_host.Messages, m => m.StartsWith("WARNING", StringComparison.Ordinal)));
        Assert.False(component.IsScoped);
    }

    [Fact]
    public void Scopes_naming_app_ids_no_workload_in_the_namespace_has_are_reported()
    {
        _folder.Write("apps.yaml", Deployment("shop", "order-api") + "---\n" + Deployment("other", "inventory-api"));
        _folder.Write("c.yaml", "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {name: statestore, namespace: shop}\nspec:\n  type: pubsub.redis\n  version: v1\n  metadata:\n  - name: subscriptionScopes\n    value: notification-svc=orders\nscopes:\n- order-api\n- inventory-api\n- Order-Api\n---\napiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {name: elsewhere, namespace: nowork}\nscopes: [ghost]\n");

        var components = Get();

        Assert.Equal(
            new[] { ("ScopeAppIdInvalid", 13), ("ScopeAppIdUnknown", 12), ("ScopeAppIdUnknown", 7) },
            components[0].Findings.Select(f => (f.Code, f.Line ?? 0)));
        Assert.Contains("'inventory-api'", components[0].Findings[1].Message);
        Assert.Contains("'notification-svc'", components[0].Findings[2].Message);
        Assert.Empty(components[1].Findings);
    }

    [Fact]
    public void Malformed_files_and_duplicate_keys_are_errors_that_do_not_stop_the_other_files()
    {
        _folder.Write("a-broken.yaml", "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {name: broken\nscopes: [x]\n");
        _folder.Write("b-duplicate.yaml", "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: dup\nscopes: [a]\nscopes: [b]\n");
        _folder.Write("c-helm-template.yaml", "{{- if .Values.enabled }}\nkind: ConfigMap\n{{- end }}\n");
        _folder.Write("d-good.yaml", "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {name: good}\n");

        var components = Get();

        Assert.Equal("good", Assert.Single(components).Name);
        Assert.Equal(new[] { "ManifestInvalidYaml", "ManifestDuplicateKey" }, _host.Errors.Select(e => e.ErrorId));
        var errors = _host.Errors.ToList();
        Assert.Equal(DaprErrorCategory.InvalidData, errors[0].Category);
        Assert.Contains("a-broken.yaml:", errors[0].Message);
        Assert.Contains("b-duplicate.yaml:6:", errors[1].Message);
        Assert.Contains("'scopes' twice", errors[1].Message);
        Assert.Contains(_host.Messages, m => m.StartsWith("VERBOSE: Skipped", StringComparison.Ordinal) && m.Contains("c-helm-template.yaml", StringComparison.Ordinal));
    }

    [Fact]
    public void A_key_written_twice_is_found_in_a_large_mapping_and_in_a_nested_one_but_not_across_siblings()
    {
        var keys = string.Concat(Enumerable.Range(0, 20).Select(i => $"    k{i}: v\n"));
        _folder.Write("large.yaml", $"apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: large\n  annotations:\n{keys}    k3: again\n");
        _folder.Write("nested.yaml", "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: nested\nspec:\n  metadata:\n  - name: a\n    value: x\n  - name: b\n    value: y\n    value: z\n");

        Assert.Empty(Get());

        var errors = _host.Errors.ToList();
        Assert.Equal(new[] { "ManifestDuplicateKey", "ManifestDuplicateKey" }, errors.Select(e => e.ErrorId));
        Assert.Contains("large.yaml:26: Component 'large' defines 'metadata.annotations.k3' twice", errors[0].Message);
        Assert.Contains("nested.yaml:11: Component 'nested' defines 'spec.metadata[1].value' twice", errors[1].Message);
    }

    [Fact]
    public void Documents_of_the_wrong_shape_are_read_without_crashing()
    {
        _folder.Write("odd.yaml", "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: [statestore]\nspec: state.redis\nscopes: {order-api: yes}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {template: [annotations]}\n");

        var component = Assert.Single(Get());

        Assert.Empty(_host.Errors);
        Assert.Equal(("", "", "", false), (component.Namespace, component.Name, component.Type, component.IsScoped));
        Assert.Equal("ScopesNotAList", Assert.Single(component.Findings).Code);
    }

    [Fact]
    public void A_name_or_a_wildcard_that_matches_nothing_is_an_error_naming_it_and_the_others_are_still_read()
    {
        _folder.Write("c.yaml", "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {name: statestore}\n");

        var components = new ComponentScopeService().GetFromManifestsAsync(new[] { _folder.Path }, new ComponentQuery(null, new[] { "nope", "state*", "none*" }), _host, CancellationToken.None).ToBlockingEnumerable().ToList();

        Assert.Equal("statestore", Assert.Single(components).Name);
        Assert.Equal(new[] { ("ComponentNotFound", "nope"), ("ComponentNotFound", "none*") }, _host.Errors.Select(e => (e.ErrorId, e.TargetObject as string ?? "")));
    }

    public void Dispose() => _folder.Dispose();

    internal static string Deployment(string ns, string appId, string? config = null)
        => $"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {appId}, namespace: {ns}}}\nspec:\n  template:\n    metadata:\n      annotations:\n"
           + $"        dapr.io/enabled: \"true\"\n        dapr.io/app-id: {appId}\n" + (config is null ? "" : $"        dapr.io/config: {config}\n");

    private List<DaprComponentScope> Get() => new ComponentScopeService().GetFromManifestsAsync(new[] { _folder.Path }, new ComponentQuery(null, null), _host, CancellationToken.None).ToBlockingEnumerable().ToList();
}
