using System.Diagnostics;
using DaprSecurity.KubeApiServer.Tests.Infrastructure;
using k8s;

namespace DaprSecurity.KubeApiServer.Tests;

/// <summary>The exe: starts, seeds, writes the kubeconfig it announces, serves, and stops cleanly on SIGINT (Ctrl+C).</summary>
public sealed class StandaloneTests
{
    [Fact]
    public async Task RunsUntilInterrupted()
    {
        var directory = Directory.CreateTempSubdirectory("standalone-");
        var kubeconfig = Path.Combine(directory.FullName, "kubeconfig");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "DaprSecurity.KubeApiServer.dll"), "--kubeconfig", kubeconfig, "--dapr" })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        try
        {
            var lines = new List<string>();
            while (await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) is { } line && !line.StartsWith("Press Ctrl+C"))
            {
                lines.Add(line);
            }

            Assert.Contains(lines, l => l.StartsWith("Kubernetes API server listening on https://127.0.0.1:", StringComparison.Ordinal));
            Assert.Contains($"kubeconfig: {kubeconfig}", lines);
            using var client = ServerFixture.ClientFor(kubeconfig);
            var sentry = await client.AppsV1.ReadNamespacedDeploymentAsync("dapr-sentry", "dapr-system");
            Assert.Equal("sentry", sentry.Spec.Template.Metadata.Annotations["dapr.io/control-plane"]);

            Process.Start("kill", ["-INT", process.Id.ToString()])!.WaitForExit();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
            directory.Delete(recursive: true);
        }
    }
}
