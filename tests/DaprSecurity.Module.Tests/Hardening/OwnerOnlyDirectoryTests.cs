using System.Runtime.InteropServices;
using DaprSecurity.Module.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Module.Tests.Hardening;

// Stays in xunit: it sets the test process's own umask (libc umask) around each cmdlet, which the Pester session cannot do in-process.
/// <summary>
/// Directories the module creates for keys and tokens are 0700 even under umask 000. The umask is process-wide, so
/// these tests run in the environment collection, one at a time. (Windows ACLs are not checked: the tests run on Linux.)
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class OwnerOnlyDirectoryTests : IClassFixture<ClusterFixture>, IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly ClusterFixture _cluster;
    private readonly string _directory = Directory.CreateTempSubdirectory("daprsec-umask-").FullName;

    public OwnerOnlyDirectoryTests(ClusterFixture cluster) => _cluster = cluster;

    public static TheoryData<string, string> Writers() => new()
    {
        { "Export-DaprTrustBundle -Path $p -IncludePrivateKey", "" },
        { "'plain-token-value' | Set-DaprTokenEnvironment -Path $p", "dapr.env" },
        { "Update-DaprTrustBundle -RootKeyOutputPath $p -WhatIf:$false -Confirm:$false", "root.key" },
    };

    [Theory]
    [MemberData(nameof(Writers))]
    public void Directories_created_for_keys_and_tokens_are_0700_under_umask_000(string script, string fileName)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var created = Path.Combine(_directory, Guid.NewGuid().ToString("N"), "nested", "keys");
        var target = fileName.Length == 0 ? created : Path.Combine(created, fileName);
        using var session = _cluster.NewSession();
        var previous = Umask(0);
        try
        {
            session.Run(script, new Dictionary<string, object?> { ["p"] = target }).ThrowOnError();
        }
        finally
        {
            _ = Umask(previous);
        }

        for (var directory = created; directory != _directory; directory = Path.GetDirectoryName(directory)!)
        {
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(directory));
        }
    }

    [Fact]
    public void The_default_directory_of_trust_bundle_recovery_files_is_0700_under_umask_000()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var dataHome = Path.Combine(_directory, Guid.NewGuid().ToString("N"), "data");
        using var session = _cluster.NewSession();
        var previousDataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        Environment.SetEnvironmentVariable("XDG_DATA_HOME", dataHome);
        var previous = Umask(0);
        try
        {
            session.Run("Update-DaprTrustBundle -Confirm:$false").ThrowOnError();
        }
        finally
        {
            _ = Umask(previous);
            Environment.SetEnvironmentVariable("XDG_DATA_HOME", previousDataHome);
        }

        var backups = Path.Combine(dataHome, "DaprSecurity", "trust-bundle-backups");
        Assert.Single(Directory.GetFiles(backups));
        for (var directory = backups; directory != _directory; directory = Path.GetDirectoryName(directory)!)
        {
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(directory));
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint Umask(uint mask);
}
