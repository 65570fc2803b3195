using System.Collections;
using System.Management.Automation;
using System.Security;
using DaprSecurity.Abstractions;
using DaprSecurity.Output;

namespace DaprSecurity.Commands.Tokens;

/// <summary>Creates a Dapr app or API token: a signed JWT or 256 random bits.</summary>
/// <remarks>
/// <para>New-DaprAppToken creates the token that Set-DaprTokenSecret distributes and Set-DaprTokenEnvironment hands to a self-hosted daprd. -Kind App (the default) is the APP_API_TOKEN that daprd sends to your app, which only your app can check; -Kind Api is the DAPR_API_TOKEN that your app must send to daprd, which rejects calls without it (HTTP 401). Both travel in the dapr-api-token header.</para>
/// <para>By default the token is a JWT signed with HMAC (-Algorithm HS256, HS384 or HS512) using -SigningKey, or a freshly generated random key when none is given. It carries the claims iat (time of creation) and jti (a new GUID), plus -Issuer, -Audience, -Subject, -ExpiresIn (exp) and -Claim when given. The signing key must be at least as long as the hash: 32, 48 or 64 bytes (its UTF-8 encoding). Dapr compares tokens as opaque strings and never checks the signature or exp; the claims tell you and your app where a token came from and when it should be replaced. -Format Opaque creates 32 random bytes, base64url-encoded, instead.</para>
/// <para>The output is a token object with Kind, Format, Algorithm, IssuedAt, ExpiresAt, Id, Fingerprint and the token itself as a SecureString in Token. The Fingerprint is the first 12 hex characters of the SHA-256 of the token: safe to log, and what Get-DaprTokenSecret shows for the token stored in each namespace. -AsPlainText returns the token as a string instead.</para>
/// <para>In an Azure Pipelines job (TF_BUILD=True), -AdoVariable NAME also publishes the token as a secret pipeline variable (##vso[task.setvariable variable=NAME;issecret=true]) through the host stream; the agent masks it in every later log line. Outside a pipeline -AdoVariable is an error and no token is created.</para>
/// </remarks>
/// <example>
/// <code>New-DaprAppToken | Set-DaprTokenSecret -Namespace prod-* -PassThru | Restart-DaprDeployment -Wait</code>
/// <para>Creates a JWT app token with a random signing key, stores it in the app-api-token Secret of every prod-* namespace and restarts the workloads that use it, one namespace at a time.</para>
/// </example>
/// <example doctest="skip - prompts for the signing key">
/// <code>$key = Read-Host -AsSecureString 'Signing key'; $token = New-DaprAppToken -Kind Api -SigningKey $key -Algorithm HS512 -Issuer platform-team -ExpiresIn (New-TimeSpan -Days 90) -Claim @{ env = 'prod' }</code>
/// <para>Creates an API token signed with your own 64-byte (or longer) key, recording who issued it, for which environment, and when it should be rotated.</para>
/// </example>
/// <example doctest="skip - works only inside an Azure Pipelines job (TF_BUILD=True)">
/// <code>New-DaprAppToken -Format Opaque -AdoVariable DAPR_APP_TOKEN | Set-DaprTokenSecret -Namespace shop</code>
/// <para>In an Azure Pipelines step: creates a random token, publishes it as the secret variable DAPR_APP_TOKEN for later steps, and stores it in the shop namespace.</para>
/// </example>
[Cmdlet(VerbsCommon.New, "DaprAppToken", HelpUri = HelpLinks.Tokens)]
[OutputType(typeof(DaprToken), typeof(string))]
public sealed class NewDaprAppTokenCommand : DaprCmdlet
{
    /// <summary>App (APP_API_TOKEN, sent by daprd to your app) or Api (DAPR_API_TOKEN, required by daprd from your app). Default: App.</summary>
    [Parameter]
    public DaprTokenKind Kind { get; set; } = DaprTokenKind.App;

    /// <summary>Jwt (default) for a signed JWT with claims, or Opaque for 32 random bytes base64url-encoded.</summary>
    [Parameter]
    public DaprTokenFormat Format { get; set; } = DaprTokenFormat.Jwt;

    /// <summary>The JWT's HMAC algorithm: HS256 (default), HS384 or HS512.</summary>
    [Parameter]
    [ValidateSet("HS256", "HS384", "HS512")]
    public string Algorithm { get; set; } = "HS256";

    /// <summary>The HMAC key that signs the JWT (its UTF-8 bytes): at least 32, 48 or 64 bytes for HS256, HS384 or HS512. Default: a random key of that size, used once and discarded.</summary>
    [Parameter]
    public SecureString? SigningKey { get; set; }

    /// <summary>The JWT's iss claim.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Issuer { get; set; }

    /// <summary>The JWT's aud claim.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Audience { get; set; }

    /// <summary>The JWT's sub claim.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Subject { get; set; }

    /// <summary>Sets the JWT's exp claim this long after creation. Dapr does not enforce it; it records when to rotate.</summary>
    [Parameter]
    public TimeSpan? ExpiresIn { get; set; }

    /// <summary>More JWT claims, e.g. @{ env = 'prod'; team = 'payments' }. Values may be strings, numbers, booleans or arrays. iat, jti, exp, nbf, iss, aud and sub are set by the other parameters.</summary>
    [Parameter]
    public Hashtable? Claim { get; set; }

    /// <summary>Returns the token as a plain string instead of a token object. Anything that prints the string shows the token.</summary>
    [Parameter]
    public SwitchParameter AsPlainText { get; set; }

    /// <summary>In Azure Pipelines (TF_BUILD=True), also publishes the token as a secret pipeline variable of this name. Outside a pipeline this is an error.</summary>
    [Parameter]
    [ValidatePattern("^[A-Za-z0-9._]+$")]
    public string? AdoVariable { get; set; }

    private protected override void Process()
    {
        var token = Engine<ITokenService>().New(
            new NewTokenRequest(Kind, Format, Algorithm, SigningKey, Issuer, Audience, Subject, ExpiresIn, Unwrap(Claim), AdoVariable),
            EngineHost);
        WriteObject(AsPlainText ? SecretText.ToPlainText(token.Token) : token);
    }

    /// <summary>PowerShell wraps values in PSObject; the engine wants the values themselves.</summary>
    private static Hashtable? Unwrap(Hashtable? claims)
    {
        if (claims is null)
        {
            return null;
        }

        var plain = new Hashtable();
        foreach (DictionaryEntry claim in claims)
        {
            var value = claim.Value is PSObject wrapped ? wrapped.BaseObject : claim.Value;
            plain[claim.Key is PSObject key ? key.BaseObject : claim.Key] = value is object[] items ? items.Select(i => i is PSObject p ? p.BaseObject : i).ToArray() : value;
        }

        return plain;
    }
}
