using System.Management.Automation;
using DaprSecurity.Abstractions;
using DaprSecurity.Output;
using DaprSecurity.Transformations;
using DaprSecurity.Validation;

namespace DaprSecurity.Commands.Tokens;

/// <summary>Hands a token to a self-hosted daprd or app: sets APP_API_TOKEN or DAPR_API_TOKEN in this process or in a dotenv file.</summary>
/// <remarks>
/// <para>In self-hosted mode (dapr run, or daprd started by hand) the sidecar reads DAPR_API_TOKEN and APP_API_TOKEN from its environment when it starts. Set-DaprTokenEnvironment sets the variable for the kind of token (-Kind, by default the token's own kind) in the current process, so that anything started from this session afterwards inherits it, or, with -Path, in a dotenv file.</para>
/// <para>The dotenv file is rewritten with only its owner able to read it (mode 0600 on Linux and macOS; an ACL for the current user alone on Windows): other lines are kept, an existing line for the variable is replaced, and the file is replaced atomically so the token is never in a file others can read. Tokens made only of letters, digits and ._~+/=- are written bare, others single-quoted.</para>
/// <para>Processes that are already running keep their old value: restart daprd and the app after changing a token.</para>
/// </remarks>
/// <example doctest="skip - needs the dapr CLI and an app to run">
/// <code>New-DaprAppToken -Kind Api | Set-DaprTokenEnvironment; dapr run --app-id orders -- dotnet run</code>
/// <para>Creates an API token, sets DAPR_API_TOKEN for this session and starts the app with its sidecar, which now requires the token.</para>
/// </example>
/// <example>
/// <code>New-DaprAppToken | Set-DaprTokenEnvironment -Kind App -Path ./dapr.env -PassThru</code>
/// <para>Writes APP_API_TOKEN=... into ./dapr.env, readable only by you, for a process manager or docker compose env_file to pass on.</para>
/// </example>
[Cmdlet(VerbsCommon.Set, "DaprTokenEnvironment", SupportsShouldProcess = true)]
[OutputType(typeof(DaprTokenEnvironmentResult))]
public sealed class SetDaprTokenEnvironmentCommand : DaprCmdlet
{
    /// <summary>The token: a token object from New-DaprAppToken, a SecureString, or a string.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [DaprTokenTransformation]
    [DaprInput(DaprInputKind.Token)]
    public DaprToken Token { get; set; } = null!;

    /// <summary>App sets APP_API_TOKEN, Api sets DAPR_API_TOKEN. Default: the token object's kind (App for a SecureString or string).</summary>
    [Parameter]
    public DaprTokenKind? Kind { get; set; }

    /// <summary>A dotenv file to write instead of setting the variable in this process. It is created if missing; its other lines are kept.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Returns where the token was put.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private protected override void Process()
    {
        var path = Path is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        var result = Engine<ITokenService>().SetEnvironment(Token, Kind ?? Token.Kind, path, EngineHost);
        if (result is not null && PassThru)
        {
            WriteObject(result);
        }
    }
}
