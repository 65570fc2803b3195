using DaprSecurity.Engine.Audit.Model;
using k8s.Models;
using Xunit;

namespace DaprSecurity.Engine.Tests.Audit;

/// <summary>The snapshot's per-namespace look-ups, which keep the rules linear in the number of objects.</summary>
public sealed class AuditSnapshotTests
{
    [Fact]
    public void Look_ups_answer_from_the_lists_of_the_snapshot_asked_even_after_a_copy_replaced_them()
    {
        var shop = new AuditSnapshot { Now = DateTimeOffset.UnixEpoch, Workloads = new[] { Pod("shop", "orders"), Pod("shop", "cart"), Pod("hr", "payroll") } };
        Assert.Equal(new[] { "orders", "cart" }, shop.WorkloadsIn("shop").Select(w => w.Resource.Name));

        var hr = shop with { Workloads = new[] { Pod("hr", "people") } };

        Assert.Empty(hr.WorkloadsIn("shop"));
        Assert.Equal("people", Assert.Single(hr.WorkloadsIn("hr")).Resource.Name);
        Assert.Equal(new[] { "orders", "cart" }, shop.WorkloadsIn("shop").Select(w => w.Resource.Name));
    }

    [Fact]
    public void Of_two_objects_with_one_name_the_first_is_found()
    {
        var first = new AuditSecret(new AuditResource("Secret", "shop", "token"), new HashSet<string> { "token" }, null, null);
        var second = first with { Keys = new HashSet<string>() };
        var snapshot = new AuditSnapshot { Now = DateTimeOffset.UnixEpoch, Secrets = new[] { first, second } };

        Assert.Same(first, snapshot.Secret("shop", "token"));
        Assert.Null(snapshot.Secret("hr", "token"));
    }

    private static AuditWorkload Pod(string @namespace, string name)
        => AuditWorkload.From(new V1Pod { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = @namespace }, Spec = new V1PodSpec() }, null);
}
