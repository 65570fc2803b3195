using System.Runtime.InteropServices;

namespace DaprSecurity.Engine.Mtls;

/// <summary>
/// The moments between the trust bundle's Secret and ConfigMap writes, when ending the process would leave them with
/// different ca.crt. While open, SIGTERM and SIGINT do not end the process (PosixSignalRegistration, default action
/// cancelled); like Ctrl+C (the host's token) they start <see cref="Stopping"/>. A write in flight then gets
/// <see cref="Grace"/> to finish before <see cref="Writes"/> cancels it, so the writer puts things right within seconds,
/// never after the HTTP timeout.
/// </summary>
internal sealed class WriteWindow : IDisposable
{
    /// <summary>How long a write already sent may take to finish once stopping begins.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    /// <summary>SIGTERM's number on Linux and macOS; a shell reports the process it ends as 128 + this.</summary>
    private const int SigTermNumber = 15;

    private readonly CancellationTokenSource _stopping;
    private readonly CancellationTokenSource _writes;
    private readonly CancellationTokenRegistration _graceOnStop;
    private readonly List<PosixSignalRegistration> _signals = new();
    private int _signal;

    public WriteWindow(TimeProvider clock, CancellationToken userStop)
    {
        _writes = new CancellationTokenSource(Timeout.InfiniteTimeSpan, clock);
        _stopping = CancellationTokenSource.CreateLinkedTokenSource(userStop);
        _graceOnStop = _stopping.Token.Register(() => _writes.CancelAfter(Grace));
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT })
        {
            try
            {
                _signals.Add(PosixSignalRegistration.Create(signal, OnSignal));
            }
            catch (PlatformNotSupportedException)
            {
                // Browsers and some mobile platforms: no signals to guard against.
            }
        }
    }

    /// <summary>Cancelled as soon as the user or a signal asks to stop: start no further write.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>For the writes themselves: cancelled <see cref="Grace"/> after stopping begins.</summary>
    public CancellationToken Writes => _writes.Token;

    /// <summary>The signal that stopped the window, if one did.</summary>
    public PosixSignal? Signal => _signal == 0 ? null : (PosixSignal)_signal;

    /// <summary>After SIGTERM, the exit code the process would have had (128 + 15); null otherwise (SIGINT is Ctrl+C, which PowerShell handles).</summary>
    public int? ExitCode => Signal == PosixSignal.SIGTERM ? 128 + SigTermNumber : null;

    public void Dispose()
    {
        foreach (var registration in _signals)
        {
            registration.Dispose();
        }

        _graceOnStop.Dispose();
        _stopping.Dispose();
        _writes.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        Interlocked.CompareExchange(ref _signal, (int)context.Signal, 0);
        try
        {
            _stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The window closed while the signal was being delivered; nothing is half-written any more.
        }
    }
}
