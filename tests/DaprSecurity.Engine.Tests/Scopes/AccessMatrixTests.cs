using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Scopes;
using DaprSecurity.Engine.Tests.Infrastructure;
using DaprSecurity.Output;
using Xunit;
using static DaprSecurity.Engine.Tests.Scopes.ManifestReadingTests;

namespace DaprSecurity.Engine.Tests.Scopes;

public sealed class AccessMatrixTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FakeEngineHost _host = new();

    public AccessMatrixTests()
    {
        _folder.Write("apps.yaml", string.Join("---\n", Deployment("shop", "order-api", "locked-down"), Deployment("shop", "inventory-api", "missing-config"), Deployment("shop", "notification-service"), Deployment("other", "batch")));
        _folder.Write("dapr.yaml", """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata: {name: statestore, namespace: shop}
            spec: {type: state.redis, version: v1}
            scopes: [order-api, inventory-api]
            ---
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata: {name: pubsub, namespace: shop}
            spec:
              type: pubsub.redis
              version: v1
              metadata:
              - {name: publishingScopes, value: "order-api=orders"}
              - {name: protectedTopics, value: "orders"}
            ---
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata: {name: vault, namespace: shop}
            spec: {type: secretstores.hashicorp.vault, version: v1}
            ---
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata: {name: mail, namespace: shop}
            spec: {type: bindings.smtp, version: v1}
            ---
            apiVersion: dapr.io/v1alpha1
            kind: Configuration
            metadata: {name: locked-down, namespace: shop}
            spec:
              accessControl: {defaultAction: deny, trustDomain: public}
              secrets:
                scopes:
                - {storeName: vault, defaultAccess: deny, allowedSecrets: [db-password]}
              components:
                deny: [bindings.smtp]
            """);
    }

    [Fact]
    public void Every_app_against_every_component_of_its_namespace_with_access_and_reason()
    {
        var entries = Matrix(null);

        Assert.Empty(_host.Errors);
        Assert.Equal(
            new[]
            {
                "inventory-api:mail=Unscoped,pubsub=Unscoped,statestore=Listed,vault=Unscoped",
                "notification-service:mail=Unscoped,pubsub=Unscoped,statestore=NotListed,vault=Unscoped",
                "order-api:mail=DeniedByConfiguration,pubsub=Unscoped,statestore=Listed,vault=Unscoped",
            },
            Summary(entries));
        Assert.DoesNotContain(entries, e => e.AppId == "batch");
        Assert.All(entries, e => Assert.Equal(e.Reason is DaprAccessReason.Unscoped or DaprAccessReason.Listed, e.Access));
    }

    [Fact]
    public void Topics_secrets_and_invocation_defaults_complete_the_picture()
    {
        var entries = Matrix(null);
        DaprAccessEntry Entry(string app, string component) => entries.Single(e => e.AppId == app && e.Component == component);

        Assert.Equal("publish: orders; subscribe: all topics except orders", Entry("order-api", "pubsub").Detail);
        Assert.Equal("publish: all topics except orders; subscribe: all topics except orders", Entry("notification-service", "pubsub").Detail);
        Assert.Equal("secrets: only db-password", Entry("order-api", "vault").Detail);
        Assert.Equal(new[] { "db-password" }, Entry("order-api", "vault").SecretAccess!.AllowedSecrets);
        Assert.Equal("secrets: all secrets", Entry("notification-service", "vault").Detail);
        Assert.Equal("Configuration 'locked-down' denies bindings.smtp/v1", Entry("order-api", "mail").Detail);
        Assert.Equal("scopes: order-api, inventory-api", Entry("notification-service", "statestore").Detail);
        Assert.Equal(("locked-down", "deny"), (Entry("order-api", "mail").Configuration, Entry("order-api", "mail").InvocationDefaultAction));
        Assert.Null(Entry("inventory-api", "mail").InvocationDefaultAction);
        Assert.Contains("Configuration 'missing-config' not found", Entry("inventory-api", "mail").Detail);
        Assert.Equal("allow", Entry("notification-service", "mail").InvocationDefaultAction);
        Assert.Equal(Path.Combine(_folder.Path, "dapr.yaml") + ":1", Entry("order-api", "statestore").ComponentSource);
    }

    [Fact]
    public void App_ids_filter_the_apps_and_unknown_literal_ones_are_evaluated_hypothetically()
    {
        var entries = Matrix(new[] { "order-*", "new-api" });

        Assert.Equal(new[] { "new-api", "order-api" }, entries.Select(e => e.AppId).Distinct());
        Assert.Equal(new[] { "shop" }, entries.Select(e => e.Namespace).Distinct());
        Assert.False(entries.Single(e => e.AppId == "new-api" && e.Component == "statestore").Access);
    }

    [Fact]
    public void The_pivot_has_one_row_per_app_and_one_column_per_component()
    {
        var pivot = new AccessMatrixService().Pivot(Matrix(null));

        Assert.Equal(new[] { "mail", "pubsub", "statestore", "vault" }, pivot.Columns);
        var notification = pivot.Rows.Single(r => r.AppId == "notification-service");
        Assert.Equal("shop", notification.Namespace);
        Assert.Equal(new[] { true, true, false, true }, pivot.Columns.Select(c => notification.Access[c]));
        Assert.DoesNotContain(pivot.Rows, r => r.AppId == "batch");
    }

    public void Dispose() => _folder.Dispose();

    private static IEnumerable<string> Summary(IEnumerable<DaprAccessEntry> entries)
        => entries.GroupBy(e => e.AppId).Select(g => $"{g.Key}:{string.Join(",", g.OrderBy(e => e.Component, StringComparer.Ordinal).Select(e => $"{e.Component}={e.Reason}"))}");

    private List<DaprAccessEntry> Matrix(string[]? appIds)
        => new AccessMatrixService().FromManifestsAsync(new[] { _folder.Path }, new AccessMatrixQuery(null, appIds), _host, CancellationToken.None).ToBlockingEnumerable().ToList();
}
