using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Scopes;
using Xunit;

namespace DaprSecurity.Engine.Tests.Scopes;

public sealed class ScopeEditTests
{
    [Fact]
    public void Set_makes_the_list_exactly_the_app_ids_keeping_the_existing_order()
    {
        var edit = ScopeEdit.Resolve(new ScopeChange(ScopeChangeKind.Set, new[] { "c", "a", "d" }, false), new[] { "a", "b", "c" });

        Assert.Equal(new[] { "a", "c", "d" }, edit.ApplyTo(new[] { "a", "b", "c" }));
    }

    [Fact]
    public void Reapplied_to_a_concurrently_changed_list_set_keeps_the_other_writers_change()
    {
        var original = new[] { "order-api" };
        var edit = ScopeEdit.Resolve(new ScopeChange(ScopeChangeKind.Set, new[] { "order-api", "inventory-api" }, false), original);

        Assert.Equal(new[] { "order-api", "audit-api", "inventory-api" }, edit.ApplyTo(new[] { "order-api", "audit-api" }));
        Assert.Equal(new[] { "inventory-api" }, edit.ApplyTo(Array.Empty<string>()));
    }

    [Fact]
    public void Add_and_remove_are_idempotent_and_drop_duplicates()
    {
        var add = ScopeEdit.Resolve(new ScopeChange(ScopeChangeKind.Add, new[] { "b", "b" }, false), new[] { "a" });
        var remove = ScopeEdit.Resolve(new ScopeChange(ScopeChangeKind.Remove, new[] { "x" }, false), new[] { "a" });

        Assert.Equal(new[] { "a", "b" }, add.ApplyTo(new[] { "a", "b", "a" }));
        Assert.Equal(new[] { "a" }, remove.ApplyTo(new[] { "a" }));
    }

    [Fact]
    public void Unscoping_a_scoped_component_is_refused_without_force()
    {
        var change = new ScopeChange(ScopeChangeKind.Remove, new[] { "a" }, false);
        var edit = ScopeEdit.Resolve(change, new[] { "a" });

        var error = Assert.Throws<DaprSecurityException>(() => edit.CheckNotUnscoping("shop/statestore", new[] { "a" }, Array.Empty<string>()));
        ScopeEdit.Resolve(change with { Force = true }, new[] { "a" }).CheckNotUnscoping("shop/statestore", new[] { "a" }, Array.Empty<string>());
        edit.CheckNotUnscoping("shop/statestore", Array.Empty<string>(), Array.Empty<string>());

        Assert.Equal("ComponentScopeWouldUnscope", error.ErrorId);
        Assert.Equal(DaprErrorCategory.InvalidOperation, error.Category);
        Assert.Equal("shop/statestore", error.TargetObject);
    }
}
