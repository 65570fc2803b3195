using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Audit.Reading;
using DaprSecurity.Engine.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace DaprSecurity.Engine.Tests.Audit;

/// <summary>How -Path reads workloads, Services and Ingresses: YAML's typing, merge keys, repeated keys and kind: List.</summary>
public sealed class ManifestAuditReaderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void Numbers_and_booleans_are_read_from_their_text_as_YAML_types_them()
    {
        var workload = Assert.Single(Read("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: orders, namespace: shop, labels: {version: 1.0}}
            spec:
              replicas: "3"
              template:
                spec:
                  hostNetwork: yes
                  containers: [{name: app, image: orders:1, ports: [{containerPort: "3500"}]}]
            """).Snapshot.Workloads);

        Assert.Equal(3, workload.Workload!.DesiredReplicas);
        Assert.True(workload.Spec.HostNetwork);
        Assert.Equal(3500, workload.Spec.Containers.Single().Ports.Single().ContainerPort);
    }

    [Fact]
    public void Merge_keys_are_expanded_and_of_a_key_written_twice_the_last_counts()
    {
        var workload = Assert.Single(Read("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: orders, namespace: shop}
            spec:
              template:
                metadata:
                  annotations: {dapr.io/app-id: first}
                  annotations: {dapr.io/app-id: orders}
                spec:
                  containers:
                  - &app {name: app, image: orders:1}
                  - <<: *app
                    name: helper
            """).Snapshot.Workloads);

        Assert.Equal("orders", workload.AppId);
        Assert.Equal(new[] { ("app", "orders:1"), ("helper", "orders:1") }, workload.Spec.Containers.Select(c => (c.Name, c.Image)));
    }

    [Fact]
    public void A_folder_reports_its_files_in_order_a_few_times_a_second_not_once_a_file()
    {
        for (var i = 0; i < 50; i++)
        {
            _folder.Write($"apps/s{i:D2}.yaml", $"apiVersion: v1\nkind: Secret\nmetadata: {{name: s{i}, namespace: shop}}\n");
        }

        var host = new FakeEngineHost { Clock = new FakeTimeProvider() }; // time stands still: only the first and the last file are shown

        var (snapshot, _, _) = ManifestAuditReader.Read(new[] { _folder.Path }, host, CancellationToken.None);

        Assert.Equal(50, snapshot.Secrets.Count);
        Assert.Equal(
            new[] { "PROGRESS: Reading manifests 1 of 50: apps/s00.yaml", "PROGRESS: Reading manifests 50 of 50: apps/s49.yaml", "PROGRESS: Reading manifests 50 of 50 done" },
            host.Messages.Where(m => m.StartsWith("PROGRESS", StringComparison.Ordinal)));
    }

    // Each on its own: without merge keys and repeated keys the typed read reuses the document's JSON, so either alone
    // must still give the object reader's view.
    [Fact]
    public void A_merge_key_alone_is_expanded()
    {
        var workload = Assert.Single(Read("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: orders, namespace: shop}
            spec:
              template:
                spec:
                  containers:
                  - &app {name: app, image: orders:1}
                  - <<: *app
                    name: helper
            """).Snapshot.Workloads);

        Assert.Equal(new[] { ("app", "orders:1"), ("helper", "orders:1") }, workload.Spec.Containers.Select(c => (c.Name, c.Image)));
    }

    [Fact]
    public void Of_a_key_written_twice_alone_the_last_counts()
    {
        var workload = Assert.Single(Read("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: orders, namespace: shop}
            spec:
              template:
                spec:
                  containers: [{name: app, image: orders:1, image: orders:2}]
            """).Snapshot.Workloads);

        Assert.Equal("orders:2", workload.Spec.Containers.Single().Image);
    }

    [Fact]
    public void Every_item_of_a_kind_List_is_read()
    {
        var snapshot = Read("""
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Service
              metadata: {name: orders, namespace: shop}
              spec: {selector: {app: orders}, ports: [{port: 80, targetPort: 3500}]}
            - apiVersion: networking.k8s.io/v1
              kind: Ingress
              metadata: {name: orders, namespace: shop}
              spec: {defaultBackend: {service: {name: orders, port: {number: 80}}}}
            """).Snapshot;

        Assert.Equal("3500", Assert.Single(snapshot.Services).Service.Spec.Ports.Single().TargetPort.Value);
        Assert.Equal("orders", Assert.Single(snapshot.Ingresses).Ingress.Spec.DefaultBackend.Service.Name);
    }

    [Fact]
    public void A_field_of_the_wrong_type_is_an_error_naming_the_field()
    {
        var (snapshot, problems, _) = Read("""
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: orders, namespace: shop}
            spec:
              replicas: many
              template: {spec: {containers: [{name: app}]}}
            """);

        Assert.Empty(snapshot.Workloads);
        var problem = Assert.Single(problems);
        Assert.True(problem.Error!.Is(DaprErrors.AuditObjectInvalid));
        Assert.EndsWith("StatefulSet 'orders' cannot be read: the value of spec.replicas has the wrong type", problem.Error.Message);
    }

    [Fact]
    public void A_workload_whose_aliases_expand_without_end_is_a_yaml_error_not_an_object()
    {
        var laughs = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + string.Concat(Enumerable.Range(1, 7).Select(i => $"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]\n"));
        var (snapshot, problems, _) = Read("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: lol, namespace: shop}\n" + laughs + "spec: {template: {metadata: {annotations: {x: *a7}}, spec: {containers: []}}}\n");

        Assert.Empty(snapshot.Workloads);
        var problem = Assert.Single(problems);
        Assert.True(problem.Error!.Is(DaprErrors.ManifestInvalidYaml));
        Assert.EndsWith("aliases expand to more than 1000000 nodes.", problem.Error.Message);
    }

    public void Dispose() => _folder.Dispose();

    private (Engine.Audit.Model.AuditSnapshot Snapshot, IReadOnlyList<Engine.Audit.Model.ReadProblem> Problems, string Root) Read(string yaml)
    {
        _folder.Write("manifest.yaml", yaml);
        return ManifestAuditReader.Read(new[] { _folder.Path }, new FakeEngineHost(), CancellationToken.None);
    }
}
