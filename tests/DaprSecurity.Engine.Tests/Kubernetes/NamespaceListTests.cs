using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Kubernetes;
using Xunit;

namespace DaprSecurity.Engine.Tests.Kubernetes;

public sealed class NamespaceListTests
{
    private static readonly IReadOnlySet<string> s_all = new HashSet<string>(StringComparer.Ordinal) { "a", "a-b", "b", "c", "d" };

    [Fact]
    public void A_list_in_key_order_has_passed_the_namespaces_before_its_last_item_in_key_order()
    {
        using var changed = new SemaphoreSlim(0);
        var list = new NamespaceList<string>(s_all, ns => ns, changed);

        list.Add(new[] { "a-b", "a" }, ordered: true); // "a-b/" comes before "a/"

        Assert.True(list.HasPassed("a-b"));
        Assert.False(list.HasPassed("a"));
        Assert.Equal(new[] { "a-b" }, list.Take("a-b"));
    }

    [Fact]
    public void A_page_out_of_key_order_makes_the_list_count_only_once_complete()
    {
        using var changed = new SemaphoreSlim(0);
        var list = new NamespaceList<string>(s_all, ns => ns, changed);

        list.Add(new[] { "c", "a" }, ordered: true);
        list.Add(new[] { "d" }, ordered: true);

        Assert.False(list.HasPassed("a"));
        Assert.False(list.HasPassed("c"));
        list.Complete(error: null);
        Assert.True(list.HasPassed("c"));
        Assert.Equal(new[] { "c" }, list.Take("c"));
    }

    [Fact]
    public void A_page_that_starts_before_the_last_one_ended_stops_the_list_from_passing_further()
    {
        using var changed = new SemaphoreSlim(0);
        var list = new NamespaceList<string>(s_all, ns => ns, changed);

        list.Add(new[] { "b" }, ordered: true);
        list.Add(new[] { "a" }, ordered: true);
        list.Add(new[] { "d" }, ordered: true);

        Assert.False(list.HasPassed("c"));
        list.Complete(error: null);
        Assert.True(list.HasPassed("c"));
    }

    [Fact]
    public void A_late_item_of_a_namespace_not_handed_out_yet_is_kept_and_holds_that_namespace_back()
    {
        using var changed = new SemaphoreSlim(0);
        var list = new NamespaceList<string>(s_all, ns => ns, changed);

        list.Add(new[] { "a", "c" }, ordered: true);
        Assert.True(list.HasPassed("b"));
        list.Add(new[] { "b" }, ordered: true); // before "c/": the list is not in key order after all

        Assert.False(list.HasPassed("b"));
        list.Complete(error: null);
        Assert.Equal(new[] { "b" }, list.Take("b"));
    }

    [Fact]
    public void A_late_item_of_a_namespace_already_handed_out_fails_the_page_instead_of_being_dropped()
    {
        using var changed = new SemaphoreSlim(0);
        var list = new NamespaceList<string>(s_all, ns => ns, changed);
        list.Add(new[] { "a", "c" }, ordered: true);
        Assert.Equal(new[] { "a" }, list.Take("a"));

        var late = Assert.Throws<DaprSecurityException>(() => list.Add(new[] { "c", "a" }, ordered: true));

        Assert.True(late.Is(DaprErrors.KubeApiListOutOfOrder));
        Assert.Equal("a", late.TargetObject);
    }
}
