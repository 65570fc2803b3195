namespace DaprSecurity.Abstractions;

/// <summary>
/// What the engine may ask of whoever runs it: a cmdlet in PowerShell, or a fake in unit tests.
/// Messages may be written from any thread; the PowerShell host replays them on the pipeline thread.
/// <see cref="ShouldProcess"/> must be called on the calling (pipeline) thread, before work fans out.
/// Never pass a token, key or other secret to any of these members.
/// </summary>
public interface IEngineHost
{
    /// <summary>Cancelled when the user presses Ctrl+C (PowerShell's StopProcessing).</summary>
    CancellationToken CancellationToken { get; }

    /// <summary>This command's clock: every "now", timeout and pause of the engine reads it, so tests can use a fake one.</summary>
    TimeProvider Clock { get; }

    /// <summary>What this command planned (every target ShouldProcess approved) and did, for the summary when it is stopped.</summary>
    WorkLedger Work { get; }

    void WriteVerbose(string message);

    void WriteDebug(string message);

    void WriteWarning(string message);

    /// <summary>Host-only text such as Azure DevOps logging commands (tagged PSHOST, never pipeline output).</summary>
    void WriteHostLine(string message);

    /// <summary>A non-terminating error: the engine goes on with the next item.</summary>
    void WriteError(DaprSecurityException error);

    void WriteProgress(ProgressUpdate progress);

    /// <summary>Asks the user (WhatIf/Confirm). <paramref name="action"/> describes what would happen to <paramref name="target"/>.</summary>
    bool ShouldProcess(string target, string action);
}
