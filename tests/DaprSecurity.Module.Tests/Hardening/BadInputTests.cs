using System.Diagnostics;
using System.Management.Automation;
using DaprSecurity.Module.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Module.Tests.Hardening;

/// <summary>
/// Bad inputs through the cmdlets, table-driven: each gives its own catalogue error id and category, and the
/// API server sees no write at all. File inputs that are directories, devices, FIFOs or oversized are refused
/// before a byte is read (never /dev/zero until out of memory).
/// </summary>
public sealed class BadInputTests : IClassFixture<BadInputTests.Files>
{
    private static readonly string[] s_clusterCmdlets =
    {
        "Get-DaprContext",
        "Get-DaprNamespace",
        "Get-DaprDeployment -Namespace prod-orders",
        "Set-DaprTokenSecret -Token $t -Namespace prod-orders",
        "Get-DaprTokenSecret -Namespace prod-orders",
        "Remove-DaprTokenSecret -Namespace prod-orders -Kind App -Force",
        "Set-DaprSidecarAnnotation -Namespace prod-orders -ApiTokenSecret dapr-api-token",
        "Restart-DaprDeployment -Namespace prod-orders",
        "Get-DaprControlPlane",
        "Test-DaprMtls",
        "Get-DaprCertificate",
        "Export-DaprTrustBundle -Path $out",
        "Update-DaprTrustBundle -Confirm:$false",
        "Get-DaprComponentScope -Namespace prod-orders",
        "Set-DaprComponentScope -Namespace prod-orders -Name statestore -AppId orders",
        "Add-DaprComponentScope -Namespace prod-orders -Name statestore -AppId other",
        "Remove-DaprComponentScope -Namespace prod-orders -Name statestore -AppId orders",
        "Get-DaprAccessMatrix -Namespace prod-orders",
    };

    private readonly Files _files;

    public BadInputTests(Files files) => _files = files;

    public static TheoryData<string, string, ErrorCategory> Cases()
    {
        var cases = new TheoryData<string, string, ErrorCategory>();
        foreach (var cmdlet in s_clusterCmdlets)
        {
            cases.Add($"{cmdlet} -KubeConfig $dir", "InputPathIsDirectory", ErrorCategory.InvalidArgument);
            cases.Add($"{cmdlet} -KubeConfig /dev/zero", "InputPathNotRegularFile", ErrorCategory.InvalidArgument);
            cases.Add($"{cmdlet} -KubeConfig /dev/null", "InputPathNotRegularFile", ErrorCategory.InvalidArgument);
            cases.Add($"{cmdlet} -KubeConfig $fifo", "InputPathNotRegularFile", ErrorCategory.InvalidArgument);
            cases.Add($"{cmdlet} -KubeConfig $huge", "InputFileTooLarge", ErrorCategory.LimitsExceeded);
            if (cmdlet != "Get-DaprContext")
            {
                // Listing contexts builds no client, so it never reads the key.
                cases.Add($"{cmdlet} -KubeConfig $badKey", "KubeConfigInvalid", ErrorCategory.InvalidData);
            }
        }

        foreach (var path in new[] { "/dev/zero", "/dev/urandom", "$fifo" })
        {
            cases.Add($"Get-DaprCertificate -Path {path}", "InputPathNotRegularFile", ErrorCategory.InvalidArgument);
            cases.Add($"Update-DaprTrustBundle -RootKeyPath {path} -Confirm:$false", "InputPathNotRegularFile", ErrorCategory.InvalidArgument);
            cases.Add($"Update-DaprTrustBundle -RootCertificatePath {path} -IssuerCertificatePath $pem -IssuerKeyPath $pem -Confirm:$false", "InputPathNotRegularFile", ErrorCategory.InvalidArgument);
            cases.Add($"Get-DaprComponentScope -Path {path}", "InputPathNotRegularFile", ErrorCategory.InvalidArgument);
            cases.Add($"Add-DaprComponentScope -Path {path} -Name statestore -AppId a", "InputPathNotRegularFile", ErrorCategory.InvalidArgument);
            cases.Add($"'plain-token-value' | Set-DaprTokenEnvironment -Path {path.Replace("zero", "full")}", "InputPathNotRegularFile", ErrorCategory.InvalidArgument);
        }

        cases.Add("Get-DaprCertificate -Path $hugePem", "InputFileTooLarge", ErrorCategory.LimitsExceeded);
        cases.Add("Update-DaprTrustBundle -RootKeyPath $hugePem -Confirm:$false", "InputFileTooLarge", ErrorCategory.LimitsExceeded);
        cases.Add("Update-DaprTrustBundle -RootKeyPath $dir -Confirm:$false", "InputPathIsDirectory", ErrorCategory.InvalidArgument);
        cases.Add("Get-DaprComponentScope -Path $hugeManifest", "InputFileTooLarge", ErrorCategory.LimitsExceeded);
        cases.Add("'plain-token-value' | Set-DaprTokenEnvironment -Path $dir", "InputPathIsDirectory", ErrorCategory.InvalidArgument);

        foreach (var addresses in new[] { "not an ip;rm -rf /", "0.0.0.0;x", "127.0.0.1,evil", "localhost, example.com", "256.1.1.1", "127.0.0.1\n##vso[x]", "::g", "1.2.3.4/24", "*", "127.0.0.1,,::1" })
        {
            cases.Add($"Set-DaprSidecarAnnotation -Namespace prod-orders -ListenAddresses '{addresses}'", "ListenAddressInvalid", ErrorCategory.InvalidArgument);
        }

        foreach (var name in new[] { "Bad_Name", "UPPER", "-leading", "trailing-", "a..b", "sp ace", new string('a', 254) })
        {
            cases.Add($"Set-DaprSidecarAnnotation -Namespace prod-orders -ApiTokenSecret '{name}'", "SecretNameInvalid", ErrorCategory.InvalidArgument);
        }

        foreach (var claim in new[] { "@{ '' = 1 }", "@{ ' ' = 'x' }", "@{ a = { 'script' } }", "@{ a = @{ b = 1 } }", "@{ a = @(1, { 2 }) }", "@{ a = [datetime]::Now }", "@{ a = $null }" })
        {
            cases.Add($"New-DaprAppToken -Claim {claim}", "TokenClaimInvalid", ErrorCategory.InvalidArgument);
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_bad_input_is_its_own_error_and_nothing_is_written(string script, string errorId, ErrorCategory category)
    {
        using var session = _files.Cluster.NewSession();
        var writesBefore = Writes();

        var result = session.Run(script, _files.Variables);

        // The first error is the bad input's own (a scope edit then also reports the component it could not find).
        var error = Assert.IsType<ErrorRecord>(result.AllErrors.FirstOrDefault());
        Assert.Equal(errorId, error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.DoesNotContain(result.AllErrors, e => e.FullyQualifiedErrorId.Contains("Exception", StringComparison.Ordinal));
        Assert.Equal(writesBefore, Writes());
    }

    private int Writes() => _files.Cluster.Server.Requests.Count(r => r.Verb is "create" or "update" or "patch" or "delete" or "deletecollection");

    /// <summary>The cluster, and paths that must not be read: a directory, a FIFO, sparse oversized files, a kubeconfig with a broken key.</summary>
    public sealed class Files : IAsyncLifetime
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("daprsec-badinput-").FullName;

        public ClusterFixture Cluster { get; } = new();

        public Dictionary<string, object?> Variables { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await Cluster.InitializeAsync();
            var fifo = Path.Combine(_directory, "fifo");
            Process.Start("mkfifo", fifo).WaitForExit();
            var badKey = Path.Combine(_directory, "badkey.kubeconfig");
            var user = Cluster.Server.IssueClientCertificate("badkey");
            File.WriteAllText(badKey, File.ReadAllText(Cluster.KubeConfig).Replace(
                $"    token: {Cluster.Server.AdminToken}",
                $"    client-certificate-data: {Base64(user.CertificatePem)}\n    client-key-data: {Base64(user.PrivateKeyPem.Replace("\n", "\n!!", StringComparison.Ordinal))}",
                StringComparison.Ordinal));
            var pem = Path.Combine(_directory, "ok.pem");
            File.WriteAllText(pem, Cluster.Seed.Root.CertificatePem);
            Variables = new()
            {
                ["t"] = "bad-input-token-" + Guid.NewGuid().ToString("N"),
                ["dir"] = _directory,
                ["out"] = Path.Combine(_directory, "out"),
                ["fifo"] = fifo,
                ["pem"] = pem,
                ["badKey"] = badKey,
                ["huge"] = Sparse("huge.kubeconfig", (16L << 20) + 1),
                ["hugePem"] = Sparse("huge.pem", (1L << 20) + 1),
                ["hugeManifest"] = Sparse("huge.yaml", (64L << 20) + 1),
            };
        }

        public async Task DisposeAsync()
        {
            Directory.Delete(_directory, recursive: true);
            await Cluster.DisposeAsync();
        }

        private string Sparse(string name, long length)
        {
            var path = Path.Combine(_directory, name);
            using var stream = File.Create(path);
            stream.SetLength(length);
            return path;
        }

        private static string Base64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));
    }
}
