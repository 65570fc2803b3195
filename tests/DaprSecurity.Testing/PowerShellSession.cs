using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace DaprSecurity.Module.Tests.Infrastructure;

/// <summary>
/// A PowerShell runspace with the built module imported by its manifest, as a user would. Each call runs a script
/// and returns everything it wrote to every stream.
/// </summary>
public sealed class PowerShellSession : IDisposable
{
    private readonly Runspace _runspace;
    private readonly RecordingHost _host = new();

    /// <param name="importModule">Import the built module (false to test the import itself).</param>
    /// <param name="kubeConfig">When set, every DaprSecurity cmdlet defaults to this kubeconfig, the way README suggests pinning a cluster.</param>
    public PowerShellSession(bool importModule = true, string? kubeConfig = null)
    {
        _runspace = RunspaceFactory.CreateRunspace(_host, InitialSessionState.CreateDefault2());
        _runspace.Open();
        if (importModule)
        {
            Run($"Import-Module '{ModulePaths.Manifest}' -ErrorAction Stop").ThrowOnError();
        }

        if (kubeConfig is not null)
        {
            Run("$PSDefaultParameterValues['*-Dapr*:KubeConfig'] = $path", new Dictionary<string, object?> { ["path"] = kubeConfig }).ThrowOnError();
        }
    }

    /// <summary>Runs <paramref name="script"/>; <paramref name="variables"/> become PowerShell variables first.</summary>
    public PowerShellResult Run(string script, IDictionary<string, object?>? variables = null)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        foreach (var (name, value) in variables ?? new Dictionary<string, object?>())
        {
            _runspace.SessionStateProxy.SetVariable(name, value);
        }

        ps.AddScript(script);
        var output = new List<PSObject>();
        Exception? terminating = null;
        try
        {
            output.AddRange(ps.Invoke());
        }
        catch (RuntimeException e)
        {
            terminating = e;
        }

        return Collect(ps, output, terminating);
    }

    /// <summary>
    /// Starts <paramref name="script"/>, waits until <paramref name="until"/> is true, then stops it as Ctrl+C does.
    /// Returns what ending the script threw (a PipelineStoppedException when the stop took effect).
    /// </summary>
    public Exception? RunAndStop(string script, Func<bool> until)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        var running = ps.BeginInvoke();
        SpinWait.SpinUntil(until, TimeSpan.FromSeconds(30));
        ps.Stop();
        try
        {
            ps.EndInvoke(running);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    /// <summary>
    /// Starts <paramref name="script"/> and waits (at most 30 s) until <paramref name="condition"/> holds of what it has
    /// written so far, then stops it as Ctrl+C does. True when the condition held while the script was still running.
    /// </summary>
    public bool HoldsWhileRunning(string script, Func<PSDataStreams, bool> condition, IDictionary<string, object?>? variables = null)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        foreach (var (name, value) in variables ?? new Dictionary<string, object?>())
        {
            _runspace.SessionStateProxy.SetVariable(name, value);
        }

        ps.AddScript(script);
        var running = ps.BeginInvoke();
        SpinWait.SpinUntil(() => condition(ps.Streams) || running.IsCompleted, TimeSpan.FromSeconds(30));
        var held = !running.IsCompleted && condition(ps.Streams);
        ps.Stop();
        try
        {
            ps.EndInvoke(running);
        }
        catch (Exception e) when (e is PipelineStoppedException or RuntimeException)
        {
            // Stopped as intended (or failed after the condition was checked); the caller asserts on the condition.
        }

        return held;
    }

    /// <summary>
    /// Starts <paramref name="script"/>, waits until <paramref name="until"/> is true (failing after 60 s), stops it as
    /// Ctrl+C does, and returns every stream, the warnings written straight to the host's UI, $Error[0] afterwards and how
    /// long the stop took to end the script.
    /// </summary>
    public StoppedRun Stop(string script, Func<bool> until, IDictionary<string, object?>? variables = null)
    {
        _host.TakeHostWarnings();
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        foreach (var (name, value) in variables ?? new Dictionary<string, object?>())
        {
            _runspace.SessionStateProxy.SetVariable(name, value);
        }

        ps.AddScript("$Error.Clear()").AddStatement().AddScript(script);
        var running = ps.BeginInvoke();
        if (!SpinWait.SpinUntil(until, TimeSpan.FromSeconds(60)))
        {
            throw new Xunit.Sdk.XunitException("The condition to stop at never came true.");
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        ps.Stop();
        Exception? ended = null;
        try
        {
            ps.EndInvoke(running);
        }
        catch (Exception e)
        {
            ended = e;
        }

        var took = clock.Elapsed;
        var result = Collect(ps, Array.Empty<PSObject>(), null);
        var lastError = Run("$Error[0]").Output.SingleOrDefault()?.BaseObject as ErrorRecord;
        return new StoppedRun(result, _host.TakeHostWarnings(), lastError, took, ps.InvocationStateInfo.State, ended);
    }

    /// <summary>Runs <paramref name="script"/> and returns what a user's console would show (formatted through Out-Default, colours removed).</summary>
    public string Render(string script, IDictionary<string, object?>? variables = null)
    {
        _host.TakeScreen();
        Run($"& {{ {script} }} | Out-Default", variables).ThrowOnError();
        return System.Text.RegularExpressions.Regex.Replace(_host.TakeScreen(), @"\x1b\[[0-9;]*m", "");
    }

    public void Dispose() => _runspace.Dispose();

    private static PowerShellResult Collect(PowerShell ps, IReadOnlyList<PSObject> output, Exception? terminating) => new(
        output,
        ps.Streams.Error.ToList(),
        ps.Streams.Warning.Select(w => w.Message).ToList(),
        ps.Streams.Verbose.Select(v => v.Message).ToList(),
        ps.Streams.Debug.Select(d => d.Message).ToList(),
        ps.Streams.Information.Select(i => i.MessageData?.ToString() ?? "").ToList(),
        ps.Streams.Progress.Select(p => $"{p.Activity} {p.StatusDescription} {p.CurrentOperation}").ToList(),
        terminating);
}

/// <summary>Everything one script wrote, stream by stream.</summary>
public sealed record PowerShellResult(
    IReadOnlyList<PSObject> Output,
    IReadOnlyList<ErrorRecord> Errors,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Verbose,
    IReadOnlyList<string> Debug,
    IReadOnlyList<string> Information,
    IReadOnlyList<string> Progress,
    Exception? Terminating)
{
    /// <summary>All errors, the terminating one (if any) included, as ErrorRecords.</summary>
    public IReadOnlyList<ErrorRecord> AllErrors => Terminating is IContainsErrorRecord { ErrorRecord: { } record } ? Errors.Append(record).ToList() : Errors;

    /// <summary>Fails with the first error's text when the script wrote any error.</summary>
    public PowerShellResult ThrowOnError()
    {
        if (AllErrors.Count > 0)
        {
            throw new Xunit.Sdk.XunitException("PowerShell errors:\n" + string.Join("\n", AllErrors.Select(e => $"[{e.FullyQualifiedErrorId}] {e}")));
        }

        return this;
    }

    /// <summary>Every piece of text the script produced on any stream, for leak checks.</summary>
    public string AllText() => string.Join(
        "\n",
        Output.Select(o => o?.ToString() ?? "")
            .Concat(Output.SelectMany(o => o?.Properties.Select(p => $"{p.Name}={SafeValue(p)}") ?? Enumerable.Empty<string>()))
            .Concat(AllErrors.Select(e => $"{e} {e.Exception} {e.ErrorDetails} {e.TargetObject}"))
            .Concat(Warnings).Concat(Verbose).Concat(Debug).Concat(Information).Concat(Progress));

    private static string SafeValue(PSPropertyInfo property)
    {
        try
        {
            return property.Value?.ToString() ?? "";
        }
        catch (Exception)
        {
            return "";
        }
    }
}

/// <summary>What a script stopped as by Ctrl+C left: its streams, warnings written straight to the host, $Error[0] and the stop's duration.</summary>
public sealed record StoppedRun(PowerShellResult Result, IReadOnlyList<string> HostWarnings, ErrorRecord? LastError, TimeSpan StopTook, PSInvocationState State, Exception? Ended);
