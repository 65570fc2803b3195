using System.Diagnostics;

namespace DaprSecurity.KubeApiServer.Tests.Infrastructure;

/// <summary>What a kubectl run printed and returned.</summary>
public sealed record KubectlResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}

/// <summary>
/// Runs the real kubectl against a kubeconfig, with a private HOME and discovery cache so that runs never share state
/// with the developer's own cluster config, and with a hard time limit.
/// </summary>
public sealed class Kubectl(string kubeconfig, string home)
{
    public const string Path = "/usr/bin/kubectl";

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(40);

    /// <summary>Runs kubectl with <paramref name="args"/>, feeding <paramref name="standardInput"/> (for <c>-f -</c>) when given.</summary>
    public async Task<KubectlResult> RunAsync(IReadOnlyList<string> args, string? standardInput = null)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args.Append("--request-timeout=20s"))
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["KUBECONFIG"] = kubeconfig;
        start.Environment["HOME"] = home;
        start.Environment["KUBECACHEDIR"] = System.IO.Path.Combine(home, "cache");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
        }
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish within {Limit}");
        }
        return new KubectlResult(process.ExitCode, await output, await error);
    }

    /// <summary>Runs and requires exit code 0.</summary>
    public async Task<string> SucceedAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', args)} failed: {result}");
        return result.Output;
    }

    /// <summary>Runs with a manifest on standard input (<c>-f -</c>) and requires exit code 0.</summary>
    public async Task<string> SucceedWithInputAsync(string manifest, params string[] args)
    {
        var result = await RunAsync(args, manifest);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', args)} failed: {result}");
        return result.Output;
    }

    /// <summary>Runs and requires failure; returns stderr.</summary>
    public async Task<string> FailAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode != 0, $"kubectl {string.Join(' ', args)} unexpectedly succeeded: {result}");
        return result.Error;
    }
}
