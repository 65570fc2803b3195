using System.Collections.Concurrent;
using System.Management.Automation;
using DaprSecurity.Abstractions;
using DaprSecurity.Text;

namespace DaprSecurity.Hosting;

/// <summary>
/// Adapts a running cmdlet to <see cref="IEngineHost"/>. PowerShell only accepts Write* calls on the pipeline
/// thread, so <see cref="Run{T}(Func{T})"/> does engine work on a worker thread while the pipeline thread waits here,
/// replaying the work's messages and output and answering its ShouldProcess questions as they arrive. This is the
/// one place a cmdlet blocks on the engine.
/// </summary>
internal sealed class CmdletHost : IEngineHost, IDisposable
{
    private readonly Cmdlet _cmdlet;
    private readonly int _pipelineThreadId = Environment.CurrentManagedThreadId;
    private readonly ConcurrentQueue<Action<Cmdlet>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _posted = new(0);

    // 1 while a wake-up of the pipeline thread is pending: a burst of posts (thousands of results) wakes it once, not once each.
    private int _wakeUpPending;

    public CmdletHost(Cmdlet cmdlet, TimeProvider clock)
    {
        _cmdlet = cmdlet;
        Clock = clock;
    }

    public CancellationToken CancellationToken => _stop.Token;

    public TimeProvider Clock { get; }

    public bool IsStopping => _stop.IsCancellationRequested;

    public WorkLedger Work { get; } = new();

    private bool OnPipelineThread => Environment.CurrentManagedThreadId == _pipelineThreadId;

    /// <summary>
    /// The context a command that works in several clusters one after the other is working in: its WhatIf and Confirm
    /// targets start with <c>[context]</c>, as its errors do. Null in a single cluster.
    /// </summary>
    public string? ClusterInWork
    {
        get => Work.Cluster;
        set => Work.Cluster = value;
    }

    // Messages may quote cluster or file text: shown through UntrustedText so no line is a log command or a terminal escape.
    public void WriteVerbose(string message) => Post(c => c.WriteVerbose(UntrustedText.SanitizeMessage(message)));

    public void WriteDebug(string message) => Post(c => c.WriteDebug(UntrustedText.SanitizeMessage(message)));

    public void WriteWarning(string message) => Post(c => c.WriteWarning(UntrustedText.SanitizeMessage(message)));

    public void WriteHostLine(string message)
        => Post(c => c.WriteInformation(new HostInformationMessage { Message = message }, new[] { "PSHOST" }));

    public void WriteError(DaprSecurityException error) => Post(c => c.WriteError(ErrorRecords.From(error)));

    public void WriteProgress(ProgressUpdate progress) => Post(c => c.WriteProgress(ToRecord(progress)));

    /// <summary>Output of work running under <see cref="Run{T}(Func{T})"/>, written in order with its messages.</summary>
    public void WriteObject(object? output) => Post(c => c.WriteObject(output));

    /// <summary>Asked on the pipeline thread; a worker thread waits for the answer (WhatIf/Confirm need the console).</summary>
    public bool ShouldProcess(string target, string action)
    {
        var planned = target; // as the engine names it when it is done
        target = ClusterInWork is { } context ? $"[{context}] {target}" : target;
        (target, action) = (UntrustedText.SanitizeMessage(target), UntrustedText.SanitizeMessage(action));
        if (OnPipelineThread)
        {
            Flush();
            return Planned(_cmdlet.ShouldProcess(target, action), target, planned);
        }

        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(c =>
        {
            try
            {
                answer.SetResult(c.ShouldProcess(target, action));
            }
            catch (Exception e)
            {
                answer.SetException(e);
                throw;
            }
        });
        answer.Task.Wait(CancellationToken);
        return Planned(answer.Task.Result, target, planned);
    }

    /// <summary>An approved target goes into the work ledger, for the summary if the command is stopped: shown as asked, matched as the engine names it.</summary>
    private bool Planned(bool approved, string shown, string target)
    {
        if (approved)
        {
            Work.Plan(shown, target);
        }

        return approved;
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a worker thread; until it ends, the pipeline thread writes what it posts as it
    /// arrives (so verbose, warning and progress reach the console while the work runs). Ctrl+C cancels
    /// <see cref="CancellationToken"/>, which the work observes. When writing fails (the pipeline is stopping, or a
    /// downstream Select-Object -First has what it needs), the work is cancelled too and its end awaited.
    /// </summary>
    public T Run<T>(Func<T> work) => Run(() => Task.FromResult(work()));

    /// <inheritdoc cref="Run{T}(Func{T})"/>
    public T Run<T>(Func<Task<T>> work)
    {
        if (!OnPipelineThread)
        {
            return work().GetAwaiter().GetResult();
        }

        var task = Task.Run(work, CancellationToken.None);
        task.ContinueWith(_ => _posted.Release(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            while (!task.IsCompleted)
            {
                _posted.Wait();
                Interlocked.Exchange(ref _wakeUpPending, 0); // a full fence before the drain: a post after it wakes the thread again
                Flush();
            }

            Flush();
        }
        catch
        {
            _stop.Cancel();
            ((IAsyncResult)task).AsyncWaitHandle.WaitOne();
            _ = task.Exception;
            throw;
        }

        return task.GetAwaiter().GetResult();
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

    public void Dispose()
    {
        _stop.Dispose();
        _posted.Dispose();
    }

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
            if (Interlocked.Exchange(ref _wakeUpPending, 1) == 0)
            {
                _posted.Release();
            }
        }
    }

    private static ProgressRecord ToRecord(ProgressUpdate progress) => new(progress.ActivityId, UntrustedText.SanitizeMessage(progress.Activity), UntrustedText.SanitizeMessage(progress.Status))
    {
        PercentComplete = progress.PercentComplete,
        RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
    };
}
