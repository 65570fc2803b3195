using System.Management.Automation;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using DaprSecurity.Module.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Module.Tests.Tokens;

[Collection(EnvironmentCollection.Name)]
public sealed class NewDaprAppTokenTests : IDisposable
{
    private readonly PowerShellSession _session = new();

    [Fact]
    public void Default_is_an_App_JWT_whose_token_is_a_SecureString_with_a_matching_fingerprint()
    {
        var token = Assert.Single(_session.Run("New-DaprAppToken").ThrowOnError().Output);

        Assert.Equal("DaprSecurity.Output.DaprToken", token.TypeNames[0]);
        Assert.Equal(("App", "Jwt", "HS256"), (token.Properties["Kind"].Value.ToString(), token.Properties["Format"].Value.ToString(), token.Properties["Algorithm"].Value));
        var secure = Assert.IsType<SecureString>(token.Properties["Token"].Value);
        var plain = new System.Net.NetworkCredential("", secure).Password;
        Assert.Equal(3, plain.Split('.').Length);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(plain)))[..12].ToLowerInvariant(), token.Properties["Fingerprint"].Value);
        Assert.NotNull(token.Properties["IssuedAt"].Value);
        Assert.NotNull(token.Properties["Id"].Value);
        Assert.DoesNotContain(plain, token.ToString());
    }

    [Fact]
    public void AsPlainText_returns_the_token_string_and_Opaque_gives_43_base64url_characters()
    {
        var jwt = Assert.Single(_session.Run("New-DaprAppToken -Kind Api -ExpiresIn ([timespan]::FromDays(1)) -Issuer ops -AsPlainText").ThrowOnError().Output).BaseObject;
        var opaque = Assert.Single(_session.Run("New-DaprAppToken -Format Opaque -AsPlainText").ThrowOnError().Output).BaseObject;

        Assert.Equal(3, Assert.IsType<string>(jwt).Split('.').Length);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", Assert.IsType<string>(opaque));
    }

    [Fact]
    public void Signing_key_and_claims_from_PowerShell_end_up_in_the_JWT()
    {
        var key = new string('k', 64);
        var result = _session.Run(
            "$key = [System.Net.NetworkCredential]::new('', $plainKey).SecurePassword; New-DaprAppToken -SigningKey $key -Algorithm HS512 -Subject ci -Claim @{ env = 'prod'; shard = 7 } -AsPlainText",
            new Dictionary<string, object?> { ["plainKey"] = key }).ThrowOnError();

        var parts = ((string)Assert.Single(result.Output).BaseObject).Split('.');
        var payload = Encoding.UTF8.GetString(FromBase64Url(parts[1]));
        Assert.Contains("\"env\":\"prod\"", payload);
        Assert.Contains("\"shard\":7", payload);
        Assert.Contains("\"sub\":\"ci\"", payload);
        using var hmac = new HMACSHA512(Encoding.UTF8.GetBytes(key));
        Assert.Equal(hmac.ComputeHash(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1])), FromBase64Url(parts[2]));
    }

    [Fact]
    public void A_short_signing_key_is_a_clear_error_that_does_not_show_the_key()
    {
        var result = _session.Run("New-DaprAppToken -SigningKey ([System.Net.NetworkCredential]::new('', 'too-short-key-material').SecurePassword)");

        var error = Assert.Single(result.AllErrors);
        Assert.Equal("SigningKeyTooShort,DaprSecurity.Commands.Tokens.NewDaprAppTokenCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("HS256 needs at least 32 bytes", error.ToString());
        Assert.DoesNotContain("too-short-key-material", result.AllText());
        Assert.Empty(result.Output);
    }

    [Fact]
    public void AdoVariable_outside_Azure_Pipelines_is_an_error_and_creates_nothing()
    {
        var result = _session.Run("$env:TF_BUILD = $null; New-DaprAppToken -AdoVariable DAPR_TOKEN");

        Assert.Equal("AzurePipelinesNotDetected", Assert.Single(result.AllErrors).FullyQualifiedErrorId.Split(',')[0]);
        Assert.Empty(result.Output);
        Assert.Empty(result.Information);
    }

    [Fact]
    public void AdoVariable_in_Azure_Pipelines_publishes_a_secret_variable_on_the_host_stream_only()
    {
        var result = _session.Run("$env:TF_BUILD = 'True'; try { New-DaprAppToken -Format Opaque -AdoVariable DAPR_TOKEN -Verbose } finally { $env:TF_BUILD = $null }").ThrowOnError();

        var token = Assert.Single(result.Output);
        var plain = new System.Net.NetworkCredential("", (SecureString)token.Properties["Token"].Value).Password;
        Assert.Equal($"##vso[task.setvariable variable=DAPR_TOKEN;issecret=true]{plain}", Assert.Single(result.Information));
        var everythingElse = string.Join("\n", result.Verbose.Concat(result.Warnings).Concat(result.Debug).Append(token.ToString()));
        Assert.DoesNotContain(plain, everythingElse);
        Assert.Contains(result.Verbose, v => v.Contains("DAPR_TOKEN") && v.Contains((string)token.Properties["Fingerprint"].Value));
    }

    public void Dispose() => _session.Dispose();

    private static byte[] FromBase64Url(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }
}
