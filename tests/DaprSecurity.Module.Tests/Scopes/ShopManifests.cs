namespace DaprSecurity.Module.Tests.Scopes;

/// <summary>
/// The three-service example of the issue, all unscoped: order-api should use statestore and pubsub, inventory-api
/// only statestore, notification-service only pubsub. Written the way teams keep manifests in Git: comments,
/// quoting, several documents per file.
/// </summary>
internal static class ShopManifests
{
    public static readonly string[] Apps = { "order-api", "inventory-api", "notification-service" };

    public static string Workloads(string ns) => string.Join("---\n", Apps.Select(app => $$"""
        # {{app}}: owned by the shop team
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{app}}
          namespace: {{ns}}
        spec:
          replicas: 1
          selector:
            matchLabels: {app: {{app}}}
          template:
            metadata:
              labels: {app: {{app}}}
              annotations:
                dapr.io/enabled: "true"
                dapr.io/app-id: "{{app}}"
            spec:
              containers:
              - name: app
                image: "shop/{{app}}:1.4.2"

        """));

    public static string Components(string ns) => $$"""
        # Components of the shop. Reviewed by platform-security.
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: statestore
          namespace: {{ns}}
        spec:
          type: state.redis
          version: v1
          metadata:
            - name: redisHost
              value: "redis-master.{{ns}}.svc.cluster.local:6379"
            - name: redisPassword
              secretKeyRef: {name: redis, key: password}   # never inline
        ---
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: pubsub
          namespace: {{ns}}
        spec:
          type: pubsub.redis
          version: v1
          metadata:
            - name: redisHost
              value: 'redis-master.{{ns}}.svc.cluster.local:6379'
            - name: publishingScopes
              value: "order-api=orders;notification-service="

        """;
}
