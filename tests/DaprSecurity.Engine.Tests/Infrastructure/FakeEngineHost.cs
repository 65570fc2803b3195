using System.Collections.Concurrent;
using DaprSecurity.Abstractions;

namespace DaprSecurity.Engine.Tests.Infrastructure;

/// <summary>Records what the engine tells its host; answers ShouldProcess with <see cref="Answer"/>, else <see cref="Confirm"/>.</summary>
public sealed class FakeEngineHost : IEngineHost
{
    public CancellationToken CancellationToken { get; init; } = CancellationToken.None;

    /// <summary>The real clock unless a test gives a <c>FakeTimeProvider</c>.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public bool Confirm { get; init; } = true;

    public WorkLedger Work { get; } = new();

    /// <summary>A per-question answer (target, action), for a user who confirms some steps and declines others.</summary>
    public Func<string, string, bool>? Answer { get; init; }

    public ConcurrentQueue<string> Messages { get; } = new();

    public ConcurrentQueue<DaprSecurityException> Errors { get; } = new();

    public ConcurrentQueue<(string Target, string Action)> ShouldProcessCalls { get; } = new();

    public void WriteVerbose(string message) => Messages.Enqueue("VERBOSE: " + message);

    public void WriteDebug(string message) => Messages.Enqueue("DEBUG: " + message);

    public void WriteWarning(string message) => Messages.Enqueue("WARNING: " + message);

    public void WriteHostLine(string message) => Messages.Enqueue("HOST: " + message);

    public void WriteError(DaprSecurityException error) => Errors.Enqueue(error);

    public void WriteProgress(ProgressUpdate progress) => Messages.Enqueue($"PROGRESS: {progress.Activity} {progress.Status}");

    public bool ShouldProcess(string target, string action)
    {
        ShouldProcessCalls.Enqueue((target, action));
        var approved = Answer?.Invoke(target, action) ?? Confirm;
        if (approved)
        {
            Work.Plan(target);
        }

        return approved;
    }
}
