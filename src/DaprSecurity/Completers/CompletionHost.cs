using DaprSecurity.Abstractions;

namespace DaprSecurity.Completers;

/// <summary>The engine host of a completion read: it says nothing, changes nothing, and gives up after a few seconds.</summary>
internal sealed class CompletionHost : IEngineHost, IDisposable
{
    private readonly CancellationTokenSource _timeout;

    public CompletionHost(TimeProvider clock)
    {
        Clock = clock;
        _timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10), clock);
    }

    public CancellationToken CancellationToken => _timeout.Token;

    public TimeProvider Clock { get; }

    public WorkLedger Work { get; } = new();

    public void WriteVerbose(string message)
    {
    }

    public void WriteDebug(string message)
    {
    }

    public void WriteWarning(string message)
    {
    }

    public void WriteHostLine(string message)
    {
    }

    public void WriteError(DaprSecurityException error)
    {
    }

    public void WriteProgress(ProgressUpdate progress)
    {
    }

    public bool ShouldProcess(string target, string action) => false;

    public void Dispose() => _timeout.Dispose();
}
