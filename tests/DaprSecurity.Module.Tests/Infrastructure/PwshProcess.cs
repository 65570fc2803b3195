using System.Diagnostics;
using System.Text;

namespace DaprSecurity.Module.Tests.Infrastructure;

/// <summary>
/// A real `dotnet pwsh` process (the pinned tool) running a script with the built module, for what only a process
/// shows: signals (SIGTERM, SIGINT) and what reaches its console. The script's first line prints the pwsh process id.
/// </summary>
public sealed class PwshProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<int> _pid = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="dataHome">XDG_DATA_HOME of the process, so its default recovery files stay in the test's folder.</param>
    public PwshProcess(string script, string dataHome)
    {
        // A shell that started the tests in the background may have set SIGINT to ignored, which children inherit;
        // perl puts the default back so the process sees Ctrl+C as a terminal would send it.
        var perl = File.Exists("/usr/bin/perl");
        var start = new ProcessStartInfo(perl ? "/usr/bin/perl" : "dotnet")
        {
            WorkingDirectory = ModulePaths.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var arguments = new[] { "pwsh", "-NoProfile", "-NonInteractive", "-Command", $"[Console]::Out.WriteLine('PID ' + $PID); [Console]::Out.Flush(); Import-Module '{ModulePaths.Manifest}' -ErrorAction Stop; {script}" };
        foreach (var argument in (perl ? new[] { "-e", "$SIG{INT}='DEFAULT'; exec @ARGV or die", "dotnet" } : Array.Empty<string>()).Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["XDG_DATA_HOME"] = dataHome;
        start.Environment["NO_COLOR"] = "1";
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Received(e.Data);
        _process.ErrorDataReceived += (_, e) => Received(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Sends a signal (TERM, INT) to the pwsh process itself, as `kill -s` does.</summary>
    public void Signal(string name)
    {
        if (!_pid.Task.Wait(TimeSpan.FromSeconds(60)))
        {
            throw new Xunit.Sdk.XunitException("pwsh never printed its process id:\n" + Output);
        }

        using var kill = Process.Start("kill", new[] { "-s", name, _pid.Task.Result.ToString(System.Globalization.CultureInfo.InvariantCulture) })!;
        kill.WaitForExit();
    }

    /// <summary>Waits for the process to end and returns its exit code, failing clearly after <paramref name="timeout"/>.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            throw new Xunit.Sdk.XunitException($"pwsh did not end within {timeout}:\n{Output}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Received(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.StartsWith("PID ", StringComparison.Ordinal) && int.TryParse(line.AsSpan(4), out var pid))
        {
            _pid.TrySetResult(pid);
        }
    }
}
