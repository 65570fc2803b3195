using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace DaprSecurity.Module.Tests.Infrastructure;

/// <summary>
/// A minimal non-interactive host that records what PowerShell would show on screen, so tests can see formatted
/// output (table views, Get-Help text) exactly as a user's console renders it through Out-Default.
/// </summary>
internal sealed class RecordingHost : PSHost
{
    private readonly RecordingUserInterface _ui = new();

    public override CultureInfo CurrentCulture => CultureInfo.GetCultureInfo("en-US");

    public override CultureInfo CurrentUICulture => CultureInfo.GetCultureInfo("en-US");

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override string Name => "DaprSecurity.Tests";

    public override PSHostUserInterface UI => _ui;

    public override Version Version => new(1, 0);

    /// <summary>Returns what was written since the last call, and forgets it.</summary>
    public string TakeScreen() => _ui.Take();

    /// <summary>Warnings written to the host's UI directly (not through the warning stream), since the last call.</summary>
    public IReadOnlyList<string> TakeHostWarnings() => _ui.TakeWarnings();

    public override void EnterNestedPrompt() => throw new NotSupportedException();

    public override void ExitNestedPrompt() => throw new NotSupportedException();

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }

    public override void SetShouldExit(int exitCode)
    {
    }

    private sealed class RecordingUserInterface : PSHostUserInterface
    {
        private readonly StringBuilder _screen = new();
        private readonly RecordingRawUserInterface _raw = new();
        private readonly List<string> _warnings = new();

        public override PSHostRawUserInterface RawUI => _raw;

        public string Take()
        {
            lock (_screen)
            {
                var text = _screen.ToString();
                _screen.Clear();
                return text;
            }
        }

        public override void Write(string value) => Append(value);

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Append(value);

        public override void WriteLine(string value) => Append(value + "\n");

        public override void WriteErrorLine(string value) => Append(value + "\n");

        public override void WriteDebugLine(string message)
        {
        }

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
        }

        public override void WriteVerboseLine(string message)
        {
        }

        public override void WriteWarningLine(string message)
        {
            lock (_warnings)
            {
                _warnings.Add(message);
            }
        }

        public IReadOnlyList<string> TakeWarnings()
        {
            lock (_warnings)
            {
                var taken = _warnings.ToList();
                _warnings.Clear();
                return taken;
            }
        }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions) => throw new NotSupportedException("The test host is not interactive.");

        public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice) => throw new NotSupportedException("The test host is not interactive.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException("The test host is not interactive.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException("The test host is not interactive.");

        public override string ReadLine() => throw new NotSupportedException("The test host is not interactive.");

        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException("The test host is not interactive.");

        private void Append(string value)
        {
            lock (_screen)
            {
                _screen.Append(value);
            }
        }
    }

    private sealed class RecordingRawUserInterface : PSHostRawUserInterface
    {
        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;

        public override Size BufferSize { get; set; } = new(200, 1000);

        public override Coordinates CursorPosition { get; set; }

        public override int CursorSize { get; set; }

        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.White;

        public override bool KeyAvailable => false;

        public override Size MaxPhysicalWindowSize => new(200, 1000);

        public override Size MaxWindowSize => new(200, 1000);

        public override Coordinates WindowPosition { get; set; }

        public override Size WindowSize { get; set; } = new(200, 1000);

        public override string WindowTitle { get; set; } = "";

        public override void FlushInputBuffer()
        {
        }

        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();

        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException("The test host is not interactive.");

        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill)
        {
        }

        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents)
        {
        }

        public override void SetBufferContents(Rectangle rectangle, BufferCell fill)
        {
        }
    }
}
