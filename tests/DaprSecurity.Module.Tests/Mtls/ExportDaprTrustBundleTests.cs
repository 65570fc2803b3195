using DaprSecurity.Module.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Module.Tests.Mtls;

public sealed class ExportDaprTrustBundleTests : IClassFixture<ClusterFixture>, IDisposable
{
    private readonly ClusterFixture _cluster;
    private readonly PowerShellSession _session;
    private readonly string _directory = Directory.CreateTempSubdirectory("daprsec-export-").FullName;

    public ExportDaprTrustBundleTests(ClusterFixture cluster)
    {
        _cluster = cluster;
        _session = cluster.NewSession();
    }

    [Fact]
    public void Writes_ca_crt_and_issuer_crt_byte_for_byte_owner_only_and_no_key_by_default()
    {
        var target = Path.Combine(_directory, "new", "dir");

        var result = _session.Run("Export-DaprTrustBundle -Path $p -PassThru", Vars(target)).ThrowOnError();

        Assert.Equal(_cluster.Seed.Root.CertificatePem, File.ReadAllText(Path.Combine(target, "ca.crt")));
        Assert.Equal(_cluster.Seed.Issuer.CertificatePem, File.ReadAllText(Path.Combine(target, "issuer.crt")));
        Assert.False(File.Exists(Path.Combine(target, "issuer.key")));
        Assert.Equal(new[] { "ca.crt", "issuer.crt" }, Directory.GetFiles(target).Select(Path.GetFileName).Order());
        Assert.All(Directory.GetFiles(target), AssertOwnerOnly);

        Assert.Equal(new[] { "Root", "Issuer" }, result.Output.Select(o => o.Properties["Role"].Value.ToString()));
        Assert.Equal(Path.Combine(target, "ca.crt"), result.Output[0].Properties["Source"].Value);
    }

    [Fact]
    public void IncludePrivateKey_writes_issuer_key_owner_only_and_never_prints_it()
    {
        var result = _session.Run("Export-DaprTrustBundle -Path $p -IncludePrivateKey -Verbose", Vars(_directory)).ThrowOnError();

        var keyFile = Path.Combine(_directory, "issuer.key");
        Assert.Equal(_cluster.Seed.Issuer.PrivateKeyPem, File.ReadAllText(keyFile));
        AssertOwnerOnly(keyFile);

        Assert.Empty(result.Output);
        Assert.Contains(result.Verbose, v => v.Contains(keyFile));
        Assert.DoesNotContain(_cluster.Seed.Issuer.PrivateKeyPem.Split('\n')[1], result.AllText());
    }

    [Fact]
    public void Existing_files_stop_the_export_before_anything_is_written_unless_Force()
    {
        File.WriteAllText(Path.Combine(_directory, "issuer.crt"), "old");

        var refused = _session.Run("Export-DaprTrustBundle -Path $p", Vars(_directory));

        var error = Assert.Single(refused.AllErrors);
        Assert.StartsWith("FileExists,", error.FullyQualifiedErrorId);
        Assert.False(File.Exists(Path.Combine(_directory, "ca.crt")));
        Assert.Equal("old", File.ReadAllText(Path.Combine(_directory, "issuer.crt")));

        _session.Run("Export-DaprTrustBundle -Path $p -Force", Vars(_directory)).ThrowOnError();
        Assert.Equal(_cluster.Seed.Issuer.CertificatePem, File.ReadAllText(Path.Combine(_directory, "issuer.crt")));
    }

    [Fact]
    public void WhatIf_names_every_file_and_writes_none()
    {
        var target = Path.Combine(_directory, "x");

        var screen = _session.Render("Export-DaprTrustBundle -Path $p -IncludePrivateKey -WhatIf", Vars(target));

        Assert.False(Directory.Exists(target));
        var whatIf = screen.Split('\n').Where(l => l.StartsWith("What if:", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, whatIf.Count);
        Assert.Equal($"What if: Performing the operation \"Write the issuer's PRIVATE KEY (issuer.key) from secret dapr-system/dapr-trust-bundle, readable only by you\" on target \"{Path.Combine(target, "issuer.key")}\".", whatIf[2]);
    }

    public void Dispose()
    {
        _session.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Mode 0600 (Windows ACLs are not checked here: the tests run on Linux).</summary>
    private static void AssertOwnerOnly(string file)
    {
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    private static Dictionary<string, object?> Vars(string path) => new() { ["p"] = path };
}
