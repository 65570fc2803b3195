using DaprSecurity.Abstractions;
using Xunit;
using static DaprSecurity.Engine.Tests.Scopes.ManifestEdits;

namespace DaprSecurity.Engine.Tests.Scopes;

/// <summary>Scope edits change exactly the scopes lines and keep the file's layout, quoting and comments.</summary>
public sealed class ManifestScopeEditorTests
{
    private const string Header = """
        # State for the shop.
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: statestore   # keep this comment
          namespace: shop
        spec:
          type: state.redis
          version: v1
          metadata:
          - name: redisHost
            value: "redis:6379"

        """;

    [Fact]
    public void Add_appends_a_line_in_the_lists_own_indentation_and_quoting()
    {
        var yaml = Header + "scopes:\n    -   'order-api'   # the API\n";

        var text = Edit(yaml, ScopeChangeKind.Add, "inventory-api");

        Assert.Equal(yaml + "    -   'inventory-api'\n", text);
    }

    [Fact]
    public void Remove_deletes_exactly_the_removed_entries_lines_with_their_comments()
    {
        var yaml = Header + "scopes:\n# who may load it\n- order-api\n- legacy-api  # retire in Q3\n- inventory-api\nauth:\n  secretStore: vault\n";

        var text = Edit(yaml, ScopeChangeKind.Remove, "legacy-api");

        Assert.Equal(Header + "scopes:\n# who may load it\n- order-api\n- inventory-api\nauth:\n  secretStore: vault\n", text);
    }

    [Fact]
    public void Set_keeps_remaining_lines_drops_others_and_appends_new_ones()
    {
        var yaml = Header + "scopes:\n  - \"a-api\"\n  - \"b-api\"\n  - \"c-api\"\n";

        var text = Edit(yaml, ScopeChangeKind.Set, "c-api", "d-api", "a-api");

        Assert.Equal(Header + "scopes:\n  - \"a-api\"\n  - \"c-api\"\n  - \"d-api\"\n", text);
    }

    [Theory]
    [InlineData("scopes: [order-api]", "scopes: [order-api, inventory-api]")]
    [InlineData("scopes: [ \"order-api\" ]  # flow", "scopes: [ \"order-api\", \"inventory-api\" ]  # flow")]
    [InlineData("scopes: ['order-api','x-api']", "scopes: ['order-api','x-api','inventory-api']")]
    [InlineData("scopes: []", "scopes: [inventory-api]")]
    [InlineData("scopes: ~", "scopes: [inventory-api]")]
    public void Flow_lists_are_rewritten_in_place(string before, string after)
        => Assert.Equal(Header + after + "\n", Edit(Header + before + "\n", ScopeChangeKind.Add, "inventory-api"));

    [Fact]
    public void An_empty_scopes_key_gets_items_in_the_files_list_indentation()
    {
        var yaml = Header.Replace("  - name: redisHost\n    value", "    - name: redisHost\n      value", StringComparison.Ordinal) + "scopes:\nauth:\n  secretStore: vault\n";

        var text = Edit(yaml, ScopeChangeKind.Add, "order-api");

        Assert.Equal(yaml.Replace("scopes:\n", "scopes:\n  - order-api\n", StringComparison.Ordinal), text);
    }

    [Fact]
    public void A_missing_key_is_added_at_the_end_of_its_document_only()
    {
        var other = "---\napiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: pubsub\nspec:\n  type: pubsub.redis\n  version: v1\n";
        var yaml = Header + other;

        var text = Edit(yaml, ScopeChangeKind.Add, "order-api");

        Assert.Equal(Header + "scopes:\n- order-api\n" + other, text);
    }

    [Fact]
    public void A_missing_key_follows_the_documents_quoting_and_a_file_without_final_newline()
    {
        var yaml = "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: \"statestore\"\nspec:\n  type: state.redis\n  version: v1";

        var text = Edit(yaml, ScopeChangeKind.Add, "order-api");

        Assert.Equal(yaml + "\nscopes:\n- \"order-api\"\n", text);
    }

    [Fact]
    public void Windows_line_endings_and_a_byte_order_mark_are_kept()
    {
        var yaml = Header.Replace("\n", "\r\n", StringComparison.Ordinal) + "scopes:\r\n- order-api\r\n";
        using var folder = new Infrastructure.TempFolder();
        var path = folder.Write("c.yaml", "");
        File.WriteAllBytes(path, new byte[] { 0xEF, 0xBB, 0xBF }.Concat(System.Text.Encoding.UTF8.GetBytes(yaml)).ToArray());

        var host = new Infrastructure.FakeEngineHost();
        _ = new Engine.Scopes.ComponentScopeService().ChangeInManifestsAsync(new[] { path }, new[] { new ComponentQuery(null, new[] { "statestore" }) }, new ScopeChange(ScopeChangeKind.Add, new[] { "inventory-api" }, false), host, CancellationToken.None).ToBlockingEnumerable().ToList();

        Assert.Empty(host.Errors);
        var expected = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(System.Text.Encoding.UTF8.GetBytes(yaml + "- inventory-api\r\n")).ToArray();
        Assert.Equal(expected, File.ReadAllBytes(path));
    }

    [Theory]
    [InlineData("true", "- \"true\"")]
    [InlineData("123", "- \"123\"")]
    [InlineData("1e3", "- \"1e3\"")]
    [InlineData("no", "- \"no\"")]
    [InlineData("order-api", "- order-api")]
    public void App_ids_that_YAML_would_read_as_another_type_are_quoted(string appId, string line)
        => Assert.EndsWith("scopes:\n" + line + "\n", Edit(Header, ScopeChangeKind.Add, appId));

    [Fact]
    public void Removing_the_last_scope_needs_force_and_then_removes_the_key()
    {
        var yaml = Header + "scopes:\n- order-api\nauth:\n  secretStore: vault\n";

        var (refused, host, _) = Run(yaml, ScopeChangeKind.Remove, new[] { "order-api" });
        var (forced, _, _) = Run(yaml, ScopeChangeKind.Remove, new[] { "order-api" }, force: true);

        Assert.Equal(yaml, refused);
        Assert.Equal("ComponentScopeWouldUnscope", Assert.Single(host.Errors).ErrorId);
        Assert.Equal(Header + "auth:\n  secretStore: vault\n", forced);
    }

    [Fact]
    public void Nothing_is_written_when_the_scopes_are_already_as_requested()
    {
        var yaml = Header + "scopes: [order-api]\n";

        var (text, host, results) = Run(yaml, ScopeChangeKind.Add, new[] { "order-api" });

        Assert.Equal(yaml, text);
        Assert.Empty(host.Errors);
        Assert.Equal(new[] { "order-api" }, Assert.Single(results).Scopes);
        Assert.Empty(host.ShouldProcessCalls);
    }

    [Fact]
    public void A_scopes_value_that_is_not_a_list_is_an_error_and_the_file_is_untouched()
    {
        var yaml = Header + "scopes: order-api\n";

        var (text, host, results) = Run(yaml, ScopeChangeKind.Add, new[] { "inventory-api" });

        Assert.Equal(yaml, text);
        Assert.Empty(results);
        Assert.Equal("ComponentScopesInvalid", Assert.Single(host.Errors).ErrorId);
    }

    [Fact]
    public void Invalid_app_ids_are_refused_before_anything_is_read()
    {
        var yaml = Header;

        var error = Assert.Throws<DaprSecurityException>(() => Run(yaml, ScopeChangeKind.Add, new[] { "Order_API" }));

        Assert.Equal("InvalidAppId", error.ErrorId);
        Assert.Equal("Order_API", error.TargetObject);
    }

    [Fact]
    public void Several_components_of_one_file_are_edited_in_one_command()
    {
        var other = "---\napiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: pubsub\n  namespace: shop\nspec:\n  type: pubsub.redis\n  version: v1\n";

        var (text, host, results) = Run(Header + other, ScopeChangeKind.Add, new[] { "order-api" }, name: "*");

        Assert.Empty(host.Errors);
        Assert.Equal(new[] { "statestore", "pubsub" }, results.Select(r => r.Name));
        Assert.Equal(Header + "scopes:\n- order-api\n" + other + "scopes:\n- order-api\n", text);
        Assert.DoesNotContain(host.Messages, m => m.Contains("changed on disk", StringComparison.Ordinal));
    }

    [Fact]
    public void A_json_style_document_keeps_its_layout_and_quoting_and_is_never_reformatted()
    {
        const string Json = "{\"apiVersion\": \"dapr.io/v1alpha1\", \"kind\": \"Component\", \"metadata\": {\"name\": \"statestore\"}";

        var edited = Edit(Json + ", \"scopes\": [\"order-api\"]}\n", ScopeChangeKind.Add, "inventory-api");
        var (untouched, host, _) = Run(Json + "}\n", ScopeChangeKind.Add, new[] { "inventory-api" });

        Assert.Equal(Json + ", \"scopes\": [\"order-api\", \"inventory-api\"]}\n", edited);
        Assert.Equal(Json + "}\n", untouched);
        Assert.Equal("ManifestNotEditable", Assert.Single(host.Errors).ErrorId);
    }
}
