using System.Collections;
using System.Management.Automation;
using DaprSecurity.Abstractions;

namespace DaprSecurity.Hosting;

/// <summary>
/// Writes a stopped command's summary (<see cref="WorkLedger.Summary"/>) where it still reaches the user. A stopping
/// pipeline refuses WriteWarning: it throws PipelineStoppedException, after handing the record on only where the warning
/// stream is a collection (a hosted PowerShell, remoting, jobs). The host's UI still writes (the console shows
/// "WARNING: ..."), and $Error[0] gets it as CommandStopped for scripts and for a look afterwards.
/// </summary>
internal static class StopSummary
{
    public static void Report(PSCmdlet cmdlet, WorkLedger ledger)
    {
        var summary = ledger.Summary(cmdlet.MyInvocation.MyCommand.Name);
        if (summary is null)
        {
            return;
        }

        if (cmdlet.SessionState.PSVariable.GetValue("Error") is ArrayList errors)
        {
            errors.Insert(0, ErrorRecords.From(DaprErrors.CommandStopped.Raise(summary, cmdlet.MyInvocation.MyCommand.Name)));
        }

        try
        {
            cmdlet.WriteWarning(summary);
        }
        catch (PipelineStoppedException)
        {
            cmdlet.Host.UI.WriteWarningLine(summary);
        }
    }
}
