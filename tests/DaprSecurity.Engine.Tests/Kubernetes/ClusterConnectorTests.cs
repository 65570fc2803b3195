using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Kubernetes;
using DaprSecurity.Engine.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Engine.Tests.Kubernetes;

/// <summary>One client per kubeconfig and context for the session; replaced clients and, at module removal, all clients are disposed.</summary>
public sealed class ClusterConnectorTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ClusterConnector _connector = new(TimeProvider.System);

    [Fact]
    public void Switching_the_current_context_or_touching_the_file_keeps_each_contexts_client()
    {
        var path = WriteKubeConfig(current: "blue", blueNamespace: "shop");
        var blue = Connect(path, null);

        WriteKubeConfig(current: "green", blueNamespace: "shop");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        var green = Connect(path, null);
        var blueAgain = Connect(path, "blue");

        Assert.Equal("green", green.ContextName);
        Assert.Same(blue, blueAgain);
        Assert.False(blue.IsDisposed);
    }

    [Fact]
    public void Replacing_a_contexts_definition_in_the_kubeconfig_disposes_its_old_client()
    {
        var path = WriteKubeConfig(current: "blue", blueNamespace: "shop");
        var before = Connect(path, null);

        WriteKubeConfig(current: "blue", blueNamespace: "billing");
        var after = Connect(path, null);

        Assert.NotSame(before, after);
        Assert.True(before.IsDisposed);
        Assert.False(after.IsDisposed);
        Assert.Equal("billing", after.DefaultNamespace);
        Assert.Same(after, Connect(path, "blue"));
    }

    [Fact]
    public void Disposing_the_connector_disposes_every_client_and_later_connections_are_new()
    {
        var path = WriteKubeConfig(current: "blue", blueNamespace: "shop");
        var blue = Connect(path, "blue");
        var green = Connect(path, "green");

        _connector.Dispose();

        Assert.True(blue.IsDisposed);
        Assert.True(green.IsDisposed);
        Assert.False(Connect(path, "blue").IsDisposed);
    }

    public void Dispose()
    {
        _connector.Dispose();
        _folder.Dispose();
    }

    private ClusterConnection Connect(string path, string? context) => (ClusterConnection)_connector.Connect(new ClusterTarget(path, context));

    private string WriteKubeConfig(string current, string blueNamespace) => _folder.Write("config", $"""
        apiVersion: v1
        kind: Config
        current-context: {current}
        clusters:
        - name: blue
          cluster:
            server: https://blue.example.invalid:6443
        - name: green
          cluster:
            server: https://green.example.invalid:6443
        users:
        - name: blue
          user:
            token: not-a-real-token-blue
        - name: green
          user:
            token: not-a-real-token-green
        contexts:
        - name: blue
          context:
            cluster: blue
            user: blue
            namespace: {blueNamespace}
        - name: green
          context:
            cluster: green
            user: green
        """);
}
