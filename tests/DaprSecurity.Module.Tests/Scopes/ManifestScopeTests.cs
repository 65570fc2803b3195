using DaprSecurity.Module.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Module.Tests.Scopes;

/// <summary>Scopes in manifest files, through PowerShell: no cluster, and Git-friendly edits.</summary>
public sealed class ManifestScopeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("daprsec-manifests-").FullName;
    private readonly PowerShellSession _session = new();

    [Fact]
    public void Three_service_example_scoped_from_an_all_unscoped_start_and_verified_with_the_matrix()
    {
        var apps = Write("apps/shop.yaml", ShopManifests.Workloads("shop"));
        var components = Write("components/shop.yaml", ShopManifests.Components("shop"));
        var before = File.ReadAllText(components);

        Run("""
            Add-DaprComponentScope -Path $dir -Name statestore -AppId order-api, inventory-api
            Add-DaprComponentScope -Path $dir -Name pubsub -AppId order-api, notification-service
            """).ThrowOnError();
        var pivot = Run("Get-DaprAccessMatrix -Path $dir -Pivot").ThrowOnError().Output;
        var pubsub = Run("Get-DaprAccessMatrix -Path $dir -AppId notification-service | Where-Object Component -eq pubsub").ThrowOnError().Output;

        Assert.Equal(
            new[] { "inventory-api: pubsub=False statestore=True", "notification-service: pubsub=True statestore=False", "order-api: pubsub=True statestore=True" },
            pivot.Select(row => $"{row.Properties["AppId"].Value}: pubsub={row.Properties["pubsub"].Value} statestore={row.Properties["statestore"].Value}"));
        Assert.Equal("DaprSecurity.Output.DaprAccessPivotRow", pivot[0].TypeNames[0]);
        var table = _session.Render("Get-DaprAccessMatrix -Path $dir -Pivot", new Dictionary<string, object?> { ["dir"] = _folder });
        Assert.Matches(@"Namespace\s+AppId\s+pubsub\s+statestore", table);
        Assert.Matches(@"shop\s+notification-service\s+True\s+False", table);
        Assert.Equal("publish: no topics; subscribe: all topics", Assert.Single(pubsub).Properties["Detail"].Value);
        var diff = LineDiff.Between(before, File.ReadAllText(components));
        Assert.Empty(diff.Removed);
        Assert.Equal(new[] { "scopes:\n", "  - order-api\n", "  - inventory-api\n", "scopes:\n", "  - order-api\n", "  - notification-service\n" }, diff.Added);
        Assert.Equal(ShopManifests.Workloads("shop"), File.ReadAllText(apps));
    }

    [Fact]
    public void Set_and_Remove_change_only_scopes_lines_and_keep_every_other_byte()
    {
        var path = Write("c.yaml", ShopManifests.Components("shop").Replace("\n---", "\nscopes:\n  # API first\n  - 'order-api'\n  - legacy-api   # retire\n---", StringComparison.Ordinal));
        var before = File.ReadAllText(path);

        Run("Set-DaprComponentScope -Path $dir -Name statestore -AppId order-api, inventory-api; Remove-DaprComponentScope -Path $dir -Name statestore -AppId order-api").ThrowOnError();

        var diff = LineDiff.Between(before, File.ReadAllText(path));
        Assert.Equal(new[] { "  - 'order-api'\n", "  - legacy-api   # retire\n" }, diff.Removed);
        Assert.Equal(new[] { "  - inventory-api\n" }, diff.Added);
    }

    [Fact]
    public void WhatIf_describes_each_change_and_writes_nothing()
    {
        var path = Write("c.yaml", ShopManifests.Components("shop"));
        var before = File.ReadAllBytes(path);

        var screen = _session.Render("Set-DaprComponentScope -Path $dir -Name * -AppId order-api -WhatIf", new Dictionary<string, object?> { ["dir"] = _folder });

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Contains($"What if: Performing the operation \"Set scopes to order-api (currently none: every app in the namespace)\" on target \"component shop/statestore in {path}:2\"", screen);
        Assert.Contains("component shop/pubsub in", screen);
    }

    [Fact]
    public void Removing_the_last_scope_is_refused_unless_forced()
    {
        var path = Write("c.yaml", ShopManifests.Components("shop").Replace("\n---", "\nscopes: [order-api]\n---", StringComparison.Ordinal));
        var before = File.ReadAllText(path);

        var refused = Run("Remove-DaprComponentScope -Path $dir -Name statestore -AppId order-api");
        var unchanged = File.ReadAllText(path);
        var forced = Run("Remove-DaprComponentScope -Path $dir -Name statestore -AppId order-api -Force -PassThru").ThrowOnError();

        var error = Assert.Single(refused.AllErrors);
        Assert.Equal("ComponentScopeWouldUnscope,DaprSecurity.Commands.Scopes.RemoveDaprComponentScopeCommand", error.FullyQualifiedErrorId);
        Assert.Equal("shop/statestore", error.TargetObject);
        Assert.Equal(before, unchanged);
        Assert.Equal(false, Assert.Single(forced.Output).Properties["IsScoped"].Value);
        Assert.Equal(new[] { "scopes: [order-api]\n" }, LineDiff.Between(before, File.ReadAllText(path)).Removed);
    }

    [Fact]
    public void Malformed_yaml_a_non_component_and_a_duplicate_key_behave_sensibly()
    {
        var broken = Write("broken.yaml", "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata: {name: statestore, namespace: shop\nscopes: [a]\n");
        var duplicate = Write("duplicate.yaml", "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: statestore\n  namespace: shop\n  name: pubsub\n");
        var other = Write("configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: statestore\n  namespace: shop\n");
        var snapshot = new[] { broken, duplicate, other }.ToDictionary(p => p, File.ReadAllBytes);

        var result = Run("Add-DaprComponentScope -Path $dir -Name statestore -AppId order-api");

        Assert.Equal(
            new[] { "ManifestInvalidYaml", "ManifestDuplicateKey", "ComponentNotFound" },
            result.AllErrors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]));
        Assert.Contains($"{broken}:", result.AllErrors[0].Exception.Message);
        Assert.Contains($"{duplicate}:6:", result.AllErrors[1].Exception.Message);
        Assert.All(snapshot, file => Assert.Equal(file.Value, File.ReadAllBytes(file.Key)));
        Assert.Equal(3, Directory.GetFiles(_folder, "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public void A_5MB_manifest_is_read_and_edited_with_only_its_scopes_lines_changed()
    {
        var documents = Enumerable.Range(0, 15000).Select(i => ShopManifests.Components($"team-{i:D5}").Split("---\n")[i % 2]);
        var path = Write("big.yaml", string.Join("---\n", documents));
        var before = File.ReadAllText(path);
        Assert.True(before.Length > 5_000_000, $"only {before.Length} characters");

        var count = Run("@(Get-DaprComponentScope -Path $dir).Count").ThrowOnError().Output;
        var edited = Run("Add-DaprComponentScope -Path $dir -Namespace team-04567 -Name pubsub -AppId order-api -PassThru").ThrowOnError().Output;

        Assert.Equal(15000, Assert.Single(count).BaseObject);
        Assert.Equal(new[] { "order-api" }, Assert.Single(edited).Properties["Scopes"].Value);
        var diff = LineDiff.Between(before, File.ReadAllText(path));
        Assert.Empty(diff.Removed);
        Assert.Equal(new[] { "scopes:\n", "  - order-api\n" }, diff.Added);
    }

    [Fact]
    public void Piped_components_are_edited_where_they_were_read()
    {
        var first = Write("a/c.yaml", ShopManifests.Components("shop"));
        var second = Write("b/c.yaml", ShopManifests.Components("staging"));

        var result = Run("Get-DaprComponentScope -Path $dir -Name statestore | Where-Object Namespace -eq staging | Add-DaprComponentScope -AppId inventory-api -PassThru").ThrowOnError();

        var updated = Assert.Single(result.Output);
        Assert.Equal(($"{second}:2", "staging"), (updated.Properties["Source"].Value, updated.Properties["Namespace"].Value));
        Assert.Equal(ShopManifests.Components("shop"), File.ReadAllText(first));
        Assert.Contains("- inventory-api\n", File.ReadAllText(second));
    }

    [Fact]
    public void Warns_about_misspelled_scopes_and_unknown_app_ids_with_the_component_as_target()
    {
        Write("apps.yaml", ShopManifests.Workloads("shop"));
        Write("c.yaml", ShopManifests.Components("shop").Replace("\n---", "\nscope:\n- order-api\n---", StringComparison.Ordinal).TrimEnd() + "\nscopes: [order-api, ordr-api]\n");

        var result = Run("Get-DaprComponentScope -Path $dir").ThrowOnError();

        Assert.Equal(2, result.Warnings.Count);
        Assert.StartsWith("Component 'shop/statestore' (", result.Warnings[0]);
        Assert.Contains("'scope', which Dapr ignores", result.Warnings[0]);
        Assert.Contains("'ordr-api'", result.Warnings[1]);
        var codes = Run("Get-DaprComponentScope -Path $dir -WarningAction SilentlyContinue | ForEach-Object { \"$($_.Name): $($_.Findings.Code)\" }").ThrowOnError().Output;
        Assert.Equal(new[] { "statestore: ScopeKeyMisspelled", "pubsub: ScopeAppIdUnknown" }, codes.Select(c => c.ToString()));
    }

    public void Dispose()
    {
        _session.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private string Write(string relativePath, string text)
    {
        var path = Path.Combine(_folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private PowerShellResult Run(string script) => _session.Run(script, new Dictionary<string, object?> { ["dir"] = _folder });
}
