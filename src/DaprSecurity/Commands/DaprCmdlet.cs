using System.Management.Automation;
using DaprSecurity.Abstractions;
using DaprSecurity.Bootstrap;
using DaprSecurity.Hosting;
using DaprSecurity.Validation;

namespace DaprSecurity.Commands;

/// <summary>
/// Base of every DaprSecurity cmdlet. It keeps cmdlets thin: it owns the engine host (cancellation on Ctrl+C,
/// thread-safe messages) and turns <see cref="DaprSecurityException"/> into ErrorRecords: terminating when
/// raised while setting up (Begin/End), non-terminating for one pipeline object (Process), so the others proceed.
/// </summary>
public abstract class DaprCmdlet : PSCmdlet, IDisposable
{
    private CmdletHost? _host;
    private IEngineServices? _engine;
    private bool _stopReported;

    /// <summary>The engine host for this invocation, created on first use on the pipeline thread.</summary>
    private protected IEngineHost EngineHost => HostAdapter;

    private protected CmdletHost HostAdapter => _host ??= new CmdletHost(this, TimeProvider.System);

    /// <summary>An engine service of this invocation (see <see cref="EngineServices"/>): the same instance for every pipeline object.</summary>
    private protected TContract Engine<TContract>()
        where TContract : class
        => EngineServices.Get<TContract>(_engine ??= EngineServices.ForInvocation());

    /// <inheritdoc />
    protected sealed override void BeginProcessing() => Run(() =>
    {
        ParameterValidation.Check(this);
        Begin();
    }, terminating: true);

    /// <inheritdoc />
    /// <remarks>A bad piped value stops the command: it is checked before the object is taken in, so nothing is written for it or after it.</remarks>
    protected sealed override void ProcessRecord()
    {
        Run(() => ParameterValidation.Check(this), terminating: true);
        Run(Process, terminating: false);
    }

    /// <inheritdoc />
    protected sealed override void EndProcessing() => Run(End, terminating: true);

    /// <inheritdoc />
    protected sealed override void StopProcessing() => _host?.Stop();

    /// <summary>Set-up done once per invocation (resolve the cluster, validate parameters).</summary>
    private protected virtual void Begin()
    {
    }

    /// <summary>Work for one pipeline object (or the only one when nothing is piped).</summary>
    private protected virtual void Process()
    {
    }

    /// <summary>Work after the last pipeline object (for cmdlets that collect input first).</summary>
    private protected virtual void End()
    {
    }

    /// <summary>
    /// Writes engine results as they arrive. The engine works on a worker thread while the pipeline thread writes its
    /// messages and results as they come (see <see cref="CmdletHost.Run{T}(Func{T})"/>).
    /// </summary>
    private protected void WriteResults<T>(IEnumerable<T> results) => WriteResults(results, passThru: true);

    /// <summary>Runs engine work to the end; writes its results only when <paramref name="passThru"/> (sink cmdlets' -PassThru).</summary>
    private protected void WriteResults<T>(IEnumerable<T> results, bool passThru)
        => HostAdapter.Run(() =>
        {
            foreach (var result in results)
            {
                if (passThru)
                {
                    HostAdapter.WriteObject(result);
                }
            }

            return true;
        });

    /// <summary>Writes the results of an asynchronous engine stream as they arrive (see <see cref="WriteResults{T}(IEnumerable{T})"/>).</summary>
    private protected void WriteResults<T>(IAsyncEnumerable<T> results, bool passThru = true)
        => HostAdapter.Run(async () =>
        {
            await foreach (var result in results.ConfigureAwait(false))
            {
                if (passThru)
                {
                    HostAdapter.WriteObject(result);
                }
            }

            return true;
        });

    /// <summary>Runs one engine call off the pipeline thread, writing its messages while it runs, and returns its result.</summary>
    private protected T RunEngine<T>(Func<T> work) => HostAdapter.Run(work);

    /// <inheritdoc cref="RunEngine{T}(Func{T})"/>
    private protected T RunEngine<T>(Func<Task<T>> work) => HostAdapter.Run(work);

    /// <summary>Writes a non-terminating error for one item.</summary>
    private protected void WriteError(DaprSecurityException error) => EngineHost.WriteError(error);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_host?.IsStopping == true)
        {
            ReportStopped(); // stopped while idle (waiting for input, or for a command downstream)
        }

        _host?.Dispose();
        GC.SuppressFinalize(this);
    }

    private void Run(Action phase, bool terminating)
    {
        try
        {
            phase();
            _host?.Flush();
        }
        catch (Exception e) when (e is DaprSecurityException || IsUnexpected(e))
        {
            // A .NET exception never becomes an error id of its own: it is UnexpectedError, with a hint to report it.
            var error = e as DaprSecurityException ?? DaprErrors.UnexpectedError.Raise(
                $"Unexpected error in {MyInvocation.MyCommand.Name}: {e.Message}",
                innerException: e,
                recommendedAction: "This is a defect in DaprSecurity: please report it with the command line and this message.");
            _host?.Flush();
            if (terminating)
            {
                ThrowTerminatingError(ErrorRecords.From(error));
            }

            WriteError(ErrorRecords.From(error));
        }
        catch (OperationCanceledException) when (Stopped)
        {
            ReportStopped();
            throw new PipelineStoppedException();
        }
        catch (PipelineStoppedException) when (_host?.IsStopping == true)
        {
            ReportStopped();
            throw;
        }
    }

    /// <summary>
    /// Once per invocation: the summary of what was done and not (see <see cref="StopSummary"/>). After SIGTERM, whose
    /// default exit the engine held back until its write was safe, the process then ends as the signal would have ended it.
    /// </summary>
    private void ReportStopped()
    {
        if (_stopReported || _host is null)
        {
            return;
        }

        _stopReported = true;
        StopSummary.Report(this, _host.Work);
        if (_host.Work.ExitCode is { } exitCode)
        {
            Environment.Exit(exitCode);
        }
    }

    /// <summary>True when the user stopped the command (Ctrl+C, a pipeline stop) or a signal interrupted a write window.</summary>
    private bool Stopped => _host is { } host && (host.IsStopping || host.Work.Interrupted);

    /// <summary>Not PowerShell's own flow (stops, -ErrorAction Stop, binding) and not the user's Ctrl+C.</summary>
    private bool IsUnexpected(Exception e)
    {
        return e is not RuntimeException and not OperationCanceledException || (e is OperationCanceledException && !Stopped);
    }
}
