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

        AddNameCases(cases);
        return cases;
    }

    /// <summary>Names, patterns, app-ids and tokens given to the writing cmdlets: each refused at the parameter boundary with its own id.</summary>
    private static void AddNameCases(TheoryData<string, string, ErrorCategory> cases)
    {
        var namespaceWriters = new[]
        {
            "Set-DaprTokenSecret -Token $t -Namespace {0}",
            "Remove-DaprTokenSecret -Kind App -Force -Namespace {0}",
            "Set-DaprSidecarAnnotation -ApiTokenSecret dapr-api-token -Namespace {0}",
            "Restart-DaprDeployment -Namespace {0}",
            "Set-DaprComponentScope -Name statestore -AppId orders -Namespace {0}",
            "Add-DaprComponentScope -Name statestore -AppId other -Namespace {0}",
        };
        var badNamespaces = new[] { "$null", "''", "'Bad_NS'", "'-leading'", "'trailing-'", "'with.dot'", "'sp ace'", $"'{new string('a', 64)}'", "\"prod`n##vso[task.complete result=Failed]\"", "'ns;rm -rf /'" };
        foreach (var writer in namespaceWriters)
        {
            foreach (var ns in badNamespaces)
            {
                cases.Add(string.Format(writer, ns), "NamespaceNameInvalid", ErrorCategory.InvalidArgument);
            }

            cases.Add(string.Format(writer, "'[z-a]'"), "WildcardPatternInvalid", ErrorCategory.InvalidArgument);
            cases.Add(string.Format(writer, "'prod-[9-0]*'"), "WildcardPatternInvalid", ErrorCategory.InvalidArgument);
        }

        var nameWriters = new[]
        {
            "Set-DaprSidecarAnnotation -Namespace prod-orders -ApiTokenSecret dapr-api-token -Name {0}",
            "Restart-DaprDeployment -Namespace prod-orders -Name {0}",
            "Set-DaprComponentScope -Namespace prod-orders -AppId orders -Name {0}",
            "Add-DaprComponentScope -Namespace prod-orders -AppId other -Name {0}",
            "Remove-DaprComponentScope -Namespace prod-orders -AppId orders -Name {0}",
        };
        foreach (var writer in nameWriters)
        {
            foreach (var name in new[] { "''", "'Bad_Name'", "'a b'", $"'{new string('a', 254)}'" })
            {
                cases.Add(string.Format(writer, name), "ObjectNameInvalid", ErrorCategory.InvalidArgument);
            }

            cases.Add(string.Format(writer, "'[z-a]'"), "WildcardPatternInvalid", ErrorCategory.InvalidArgument);
        }

        foreach (var secret in new[] { "''", "'Bad_Name'", "'UPPER'", "'-leading'", $"'{new string('a', 254)}'" })
        {
            cases.Add($"Set-DaprTokenSecret -Token $t -Namespace prod-orders -SecretName {secret}", "SecretNameInvalid", ErrorCategory.InvalidArgument);
        }

        cases.Add("Remove-DaprTokenSecret -Namespace prod-orders -SecretName 'Bad_Name' -Force", "SecretNameInvalid", ErrorCategory.InvalidArgument);
        cases.Add("Set-DaprSidecarAnnotation -Namespace prod-orders -AppTokenSecret 'app token'", "SecretNameInvalid", ErrorCategory.InvalidArgument);

        foreach (var scopeEdit in new[] { "Set", "Add", "Remove" })
        {
            foreach (var appId in new[] { "'Bad App'", "'UPPER'", "'-leading'", $"'{new string('a', 59)}'", "'orders', ''" })
            {
                cases.Add($"{scopeEdit}-DaprComponentScope -Namespace prod-orders -Name statestore -AppId {appId}", "InvalidAppId", ErrorCategory.InvalidArgument);
            }
        }

        cases.Add("Restart-DaprDeployment -Namespace prod-orders -Wait -Canary 'Bad_NS'", "NamespaceNameInvalid", ErrorCategory.InvalidArgument);
        cases.Add("Restart-DaprDeployment -Namespace prod-orders -Wait -Canary '[z-a]'", "WildcardPatternInvalid", ErrorCategory.InvalidArgument);
        cases.Add("Set-DaprTokenSecret -Token $t -Namespace prod-orders -Context '[z-a]'", "WildcardPatternInvalid", ErrorCategory.InvalidArgument);
        cases.Add("'prod-orders', 'Bad_NS' | Set-DaprTokenSecret -Token $t", "NamespaceNameInvalid", ErrorCategory.InvalidArgument);

        foreach (var token in new[] { "('a' * 1MB)", "('a' * 4097)", "@{ token = 'x' }", "42", "([datetime]::UtcNow)", "([uri]'https://example.com')", "\"token-with-a-trailing-newline`n\"" })
        {
            cases.Add($"Set-DaprTokenSecret -Namespace prod-orders -Token {token}", "TokenMalformed", ErrorCategory.InvalidArgument);
        }

        cases.Add("@{ token = 'x' } | Set-DaprTokenEnvironment -Path $out", "TokenMalformed", ErrorCategory.InvalidArgument);

        foreach (var controlPlane in new[] { "Update-DaprTrustBundle -Confirm:$false", "Update-DaprTrustBundle -RestartOnly -Confirm:$false", "Export-DaprTrustBundle -Path $out" })
        {
            cases.Add($"{controlPlane} -ControlPlaneNamespace 'Dapr_System'", "NamespaceNameInvalid", ErrorCategory.InvalidArgument);
            cases.Add($"{controlPlane} -ControlPlaneNamespace no-such-namespace", "DaprControlPlaneNotFound", ErrorCategory.ObjectNotFound);
            cases.Add($"{controlPlane} -ControlPlaneNamespace prod-orders", "DaprControlPlaneNotFound", ErrorCategory.ObjectNotFound);
        }
    }

    [Fact]
    public void The_table_holds_at_least_120_distinct_bad_inputs_to_writing_cmdlets()
    {
        var scripts = Cases().Select(c => (string)c[0]).Distinct(StringComparer.Ordinal).ToList();
        var writers = new[] { "Set-Dapr", "Add-Dapr", "Remove-Dapr", "Restart-Dapr", "Update-Dapr", "Export-Dapr", "New-Dapr" };

        Assert.True(scripts.Count(s => writers.Any(w => s.Contains(w, StringComparison.Ordinal))) >= 120, $"{scripts.Count} cases");
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
