using System.Management.Automation;
using DaprSecurity.Abstractions;
using DaprSecurity.Output;
using DaprSecurity.Transformations;
using DaprSecurity.Validation;

namespace DaprSecurity.Commands.Tokens;

/// <summary>Checks that an app or daprd endpoint rejects calls without the right token and accepts the right one.</summary>
/// <remarks>
/// <para>Test-DaprTokenEnforcement sends three requests to -Uri: one without a dapr-api-token header, one with a random wrong token, and one with -Token. A 401 or 403 counts as rejected, anything else as accepted. Status is Enforced when the first two are rejected and the third accepted; NotEnforced when a request without a token gets through; WrongTokenAccepted when only the header's presence is checked; TokenRejected when the right token is refused too (pods not restarted since a rotation, or the other kind of token).</para>
/// <para>With -Kind App, point -Uri at your app (the endpoint daprd calls). Dapr only sends APP_API_TOKEN; nothing checks it unless your app does, and many apps never do: this makes that visible. With -Kind Api, point -Uri at the daprd HTTP API (port 3500, a path such as /v1.0/metadata). daprd never checks the token on /v1.0/healthz or on its public port 3501; probing those gives a warning.</para>
/// <para>The token is sent only in the header of the third request and never appears in the output or in messages; the result shows its fingerprint.</para>
/// </remarks>
/// <example doctest="skip - needs your app listening on localhost:8080">
/// <code>Test-DaprTokenEnforcement -Uri http://localhost:8080/orders -Token $appToken</code>
/// <para>Shows whether the orders app checks the app token daprd sends it.</para>
/// </example>
/// <example doctest="skip - needs a daprd listening on localhost:3500">
/// <code>$token | Test-DaprTokenEnforcement -Uri http://localhost:3500/v1.0/metadata -Kind Api | Where-Object { -not $_.Enforced }</code>
/// <para>Checks that the local daprd requires the API token, and shows the result only if it does not.</para>
/// </example>
[Cmdlet(VerbsDiagnostic.Test, "DaprTokenEnforcement")]
[OutputType(typeof(DaprTokenEnforcementResult))]
public sealed class TestDaprTokenEnforcementCommand : DaprCmdlet
{
    /// <summary>The endpoint: your app's URL for an App token, a daprd API URL (e.g. http://localhost:3500/v1.0/metadata) for an Api token.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public Uri Uri { get; set; } = null!;

    /// <summary>The token the endpoint should accept: a token object from New-DaprAppToken, a SecureString, or a string.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
    [DaprTokenTransformation]
    [DaprInput(DaprInputKind.Token)]
    public DaprToken Token { get; set; } = null!;

    /// <summary>App (the endpoint is your app) or Api (the endpoint is daprd). Default: the token object's kind (App for a SecureString or string).</summary>
    [Parameter]
    public DaprTokenKind? Kind { get; set; }

    /// <summary>The HTTP method of the three requests. Default: GET.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Method { get; set; } = "GET";

    /// <summary>Seconds to wait for each response. Default: 10.</summary>
    [Parameter]
    [ValidateRange(1, 600)]
    public int TimeoutSec { get; set; } = 10;

    /// <summary>Accepts any TLS certificate from an https endpoint (for self-signed test endpoints only).</summary>
    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    private protected override void Process()
        => WriteObject(RunEngine(() => Engine<ITokenService>().TestEnforcement(
            new TokenEnforcementRequest(Uri, Kind ?? Token.Kind, Token, Method.ToUpperInvariant(), TimeSpan.FromSeconds(TimeoutSec), SkipCertificateCheck),
            EngineHost)));
}
