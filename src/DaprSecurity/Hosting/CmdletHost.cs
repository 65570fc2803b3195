using System.Collections.Concurrent;
using System.Management.Automation;
using DaprSecurity.Abstractions;

namespace DaprSecurity.Hosting;

/// <summary>
/// Adapts a running cmdlet to <see cref="IEngineHost"/>. PowerShell only accepts Write* calls on the pipeline
/// thread, so messages from engine worker threads are queued and replayed on that thread at the next
/// <see cref="Flush"/> (which the cmdlet base calls before every output object and at the end of each phase).
/// </summary>
internal sealed class CmdletHost : IEngineHost, IDisposable
{
    private readonly Cmdlet _cmdlet;
    private readonly int _pipelineThreadId = Environment.CurrentManagedThreadId;
    private readonly ConcurrentQueue<Action<Cmdlet>> _pending = new();
    private readonly CancellationTokenSource _stop = new();

    public CmdletHost(Cmdlet cmdlet) => _cmdlet = cmdlet;

    public CancellationToken CancellationToken => _stop.Token;

    public bool IsStopping => _stop.IsCancellationRequested;

    public WorkLedger Work { get; } = new();

    private bool OnPipelineThread => Environment.CurrentManagedThreadId == _pipelineThreadId;

    public void WriteVerbose(string message) => Post(c => c.WriteVerbose(message));

    public void WriteDebug(string message) => Post(c => c.WriteDebug(message));

    public void WriteWarning(string message) => Post(c => c.WriteWarning(message));

    public void WriteHostLine(string message)
        => Post(c => c.WriteInformation(new HostInformationMessage { Message = message }, new[] { "PSHOST" }));

    public void WriteError(DaprSecurityException error) => Post(c => c.WriteError(ErrorRecords.From(error)));

    public void WriteProgress(ProgressUpdate progress) => Post(c => c.WriteProgress(ToRecord(progress)));

    public bool ShouldProcess(string target, string action)
    {
        if (!OnPipelineThread)
        {
            throw new InvalidOperationException("ShouldProcess must be asked on the pipeline thread, before work is spread over threads.");
        }

        Flush();
        var approved = _cmdlet.ShouldProcess(target, action);
        if (approved)
        {
            Work.Plan(target);
        }

        return approved;
    }

    /// <summary>Replays queued messages; a no-op off the pipeline thread.</summary>
    public void Flush()
    {
        if (!OnPipelineThread)
        {
            return;
        }

        while (_pending.TryDequeue(out var write))
        {
            write(_cmdlet);
        }
    }

    public void Stop() => _stop.Cancel();

    public void Dispose() => _stop.Dispose();

    private void Post(Action<Cmdlet> write)
    {
        if (OnPipelineThread)
        {
            Flush();
            write(_cmdlet);
        }
        else
        {
            _pending.Enqueue(write);
        }
    }

    private static ProgressRecord ToRecord(ProgressUpdate progress) => new(progress.ActivityId, progress.Activity, progress.Status)
    {
        PercentComplete = progress.PercentComplete,
        RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
    };
}
