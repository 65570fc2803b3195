using DaprSecurity.Module.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Module.Tests.Mtls;

/// <summary>Get-DaprCertificate -Path: PEM files read without any cluster or kubeconfig.</summary>
public sealed class GetDaprCertificateOfflineTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("daprsec-certs-").FullName;
    private readonly PowerShellSession _session = new();

    [Fact]
    public void Reads_a_directory_with_ca_crt_and_issuer_crt_and_NotAfter_matches_openssl()
    {
        var root = TestPki.CreateRoot(notAfter: DateTimeOffset.UtcNow.AddDays(200).AddHours(1), trustDomain: "example.org");
        var issuer = TestPki.CreateIssuer(root, notAfter: DateTimeOffset.UtcNow.AddDays(40).AddHours(1), trustDomain: "example.org");
        var ca = Write("ca.crt", root.CertificatePem);
        var issuerFile = Write("issuer.crt", issuer.CertificatePem);
        Write("issuer.key", issuer.PrivateKeyPem);

        var result = _session.Run("$env:KUBECONFIG = '/nonexistent'; try { Get-DaprCertificate -Path $dir } finally { $env:KUBECONFIG = $null }", new Dictionary<string, object?> { ["dir"] = _directory }).ThrowOnError();

        Assert.Equal(2, result.Output.Count);
        var (rootInfo, issuerInfo) = (result.Output[0], result.Output[1]);
        Assert.Equal("Root", rootInfo.Properties["Role"].Value.ToString());
        Assert.Equal("Issuer", issuerInfo.Properties["Role"].Value.ToString());
        Assert.Equal("O=example.org", rootInfo.Properties["Subject"].Value);
        Assert.Equal("O=spiffe://example.org/ns/dapr-system/dapr-sentry", issuerInfo.Properties["Subject"].Value);
        Assert.Equal("O=example.org", issuerInfo.Properties["Issuer"].Value);
        Assert.Equal("example.org", rootInfo.Properties["TrustDomain"].Value);
        Assert.Equal("example.org", issuerInfo.Properties["TrustDomain"].Value);
        Assert.Equal(200, rootInfo.Properties["DaysUntilExpiry"].Value);
        Assert.Equal(40, issuerInfo.Properties["DaysUntilExpiry"].Value);
        Assert.Equal("ECDSA P-256", issuerInfo.Properties["KeyAlgorithm"].Value);
        Assert.Equal(root.Certificate.Thumbprint, rootInfo.Properties["Thumbprint"].Value);
        Assert.Equal(ca, rootInfo.Properties["Source"].Value);
        Assert.Equal(OpenSsl.EndDate(ca), (DateTime)rootInfo.Properties["NotAfter"].Value);
        Assert.Equal(OpenSsl.EndDate(issuerFile), (DateTime)issuerInfo.Properties["NotAfter"].Value);
        Assert.Equal("DaprSecurity.Output.DaprCertificateInfo", rootInfo.TypeNames[0]);
        Assert.DoesNotContain(issuer.PrivateKeyPem.Split('\n')[1], result.AllText());
    }

    [Fact]
    public void Takes_files_from_the_pipeline_and_names_the_chain_roles()
    {
        var root = TestPki.CreateRoot();
        var issuer = TestPki.CreateIssuer(root);
        Write("chain.pem", issuer.CertificatePem + root.CertificatePem);

        var roles = _session.Run("[System.IO.DirectoryInfo]::new($dir).GetFiles('*.pem') | Get-DaprCertificate | ForEach-Object { \"$($_.Role)\" }", new Dictionary<string, object?> { ["dir"] = _directory })
            .ThrowOnError().Output.Select(o => o.ToString());

        Assert.Equal(new[] { "Issuer", "Root" }, roles);
    }

    [Fact]
    public void A_missing_file_or_a_file_without_certificates_is_a_non_terminating_error_and_other_paths_still_work()
    {
        var root = Write("root.pem", TestPki.CreateRoot().CertificatePem);
        var keyOnly = Write("key.pem", TestPki.CreateRoot().PrivateKeyPem);

        var result = _session.Run("Get-DaprCertificate -Path $missing, $keyOnly, $root", new Dictionary<string, object?>
        {
            ["missing"] = Path.Combine(_directory, "nope.pem"),
            ["keyOnly"] = keyOnly,
            ["root"] = root,
        });

        Assert.Equal(new[] { "CertificateFileNotFound", "CertificateNotFound" }, result.AllErrors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]));
        Assert.Equal(keyOnly, result.AllErrors[1].TargetObject);
        Assert.Single(result.Output);
    }

    public void Dispose()
    {
        _session.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
