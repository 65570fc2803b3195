using DaprSecurity.Module.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Module.Tests.Tokens;

[Collection(EnvironmentCollection.Name)]
public sealed class SetDaprTokenEnvironmentTests : IDisposable
{
    private readonly PowerShellSession _session = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("daprsec-env-").FullName;

    [Fact]
    public void Piped_Api_token_sets_DAPR_API_TOKEN_for_the_process()
    {
        try
        {
            var result = _session.Run("$t = New-DaprAppToken -Kind Api; $t | Set-DaprTokenEnvironment -PassThru; [System.Net.NetworkCredential]::new('', $t.Token).Password").ThrowOnError();

            var plain = (string)result.Output[1].BaseObject;
            Assert.Equal(plain, Environment.GetEnvironmentVariable("DAPR_API_TOKEN"));
            Assert.Equal(("DAPR_API_TOKEN", "Process"), ((string)result.Output[0].Properties["Variable"].Value, (string)result.Output[0].Properties["Target"].Value));
        }
        finally
        {
            Environment.SetEnvironmentVariable("DAPR_API_TOKEN", null);
        }
    }

    [Fact]
    public void Path_writes_an_owner_only_dotenv_file_relative_to_the_current_location()
    {
        var result = _session.Run("$null = $ExecutionContext.SessionState.Path.SetLocation($dir); 'plain-token-value' | Set-DaprTokenEnvironment -Path dapr.env",
            new Dictionary<string, object?> { ["dir"] = _directory }).ThrowOnError();

        var path = Path.Combine(_directory, "dapr.env");
        Assert.Equal("APP_API_TOKEN=plain-token-value\n", File.ReadAllText(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.Null(Environment.GetEnvironmentVariable("APP_API_TOKEN"));
        Assert.Empty(result.Output);
    }

    [Fact]
    public void WhatIf_changes_nothing_and_names_only_the_fingerprint()
    {
        var result = _session.Run("'whatif-secret-token' | Set-DaprTokenEnvironment -Kind Api -WhatIf -Verbose").ThrowOnError();

        Assert.Null(Environment.GetEnvironmentVariable("DAPR_API_TOKEN"));
        Assert.DoesNotContain("whatif-secret-token", result.AllText());
    }

    [Fact]
    public void A_malformed_token_is_an_error()
    {
        var result = _session.Run("\"token-with-newline`n\" | Set-DaprTokenEnvironment");

        Assert.Equal("TokenMalformed", Assert.Single(result.AllErrors).FullyQualifiedErrorId.Split(',')[0]);
        Assert.Null(Environment.GetEnvironmentVariable("APP_API_TOKEN"));
    }

    public void Dispose()
    {
        _session.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
