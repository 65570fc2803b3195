using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using DaprSecurity.Module.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Module.Tests.Hardening;

/// <summary>
/// Cluster and file text written by an attacker (newlines with Azure Pipelines and GitHub Actions commands, terminal
/// escapes, a 1 MB string) in every string field the cmdlets read: app-ids, annotations, component scopes and
/// metadata, Configuration fields, token Secret metadata, PEM subjects. No stream and no rendered view may carry a
/// live log command, a raw escape or a huge line, with and without TF_BUILD=True and GITHUB_ACTIONS=true. (The hosted
/// engine has no Format-List; that the list views sanitize too is checked on the format file by ManifestTests.)
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class HostileClusterTextTests : IClassFixture<HostileClusterTextTests.Cluster>
{
    private const string Ns = "hostile-a";
    private const string Payload = "x\r\n##vso[task.setvariable variable=pwned]1\n##vso[task.complete result=Failed]\n::error::pwned\n##[error]forged \u001b[31mred\u001b]0;title\u0007\u009b2J\u2028end";
    private static readonly string s_huge = Payload + new string('A', 1024 * 1024);
    private readonly Cluster _cluster;

    public HostileClusterTextTests(Cluster cluster) => _cluster = cluster;

    public static TheoryData<string, string> Runs()
    {
        var scripts = new[]
        {
            $"Get-DaprDeployment -Namespace {Ns}",
            $"Get-DaprComponentScope -Namespace {Ns}",
            $"Get-DaprAccessMatrix -Namespace {Ns}",
            $"Get-DaprTokenSecret -Namespace {Ns}",
            $"Set-DaprComponentScope -Namespace {Ns} -Name statestore -AppId orders -WhatIf",
            $"Restart-DaprDeployment -Namespace {Ns} -WhatIf",
            $"Get-DaprDeployment -Namespace {Ns} | Set-DaprSidecarAnnotation -ApiTokenSecret dapr-api-token -WhatIf",
            "Get-DaprCertificate -Path $pem",
            "Test-DaprMtls",
            "Get-DaprControlPlane",
        };
        var data = new TheoryData<string, string>();
        foreach (var ci in new[] { "", "TF_BUILD", "GITHUB_ACTIONS" })
        {
            foreach (var script in scripts)
            {
                data.Add(ci, script);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void No_stream_and_no_view_carries_a_live_command_a_raw_escape_or_a_huge_line(string ci, string script)
    {
        var setCi = ci switch
        {
            "TF_BUILD" => "$env:TF_BUILD = 'True'; ",
            "GITHUB_ACTIONS" => "$env:GITHUB_ACTIONS = 'true'; ",
            _ => "",
        };
        var variables = new Dictionary<string, object?> { ["pem"] = _cluster.HostilePem };
        try
        {
            var streams = _cluster.Session.Run(setCi + "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; " + script, variables);
            var screen = _cluster.Session.Render(setCi + script + " 2>&1 3>&1 4>&1 5>&1 6>&1", variables);

            // Output objects keep raw values by design; every other stream is text as shown.
            AssertHarmless(string.Join("\n", streams.Warnings.Concat(streams.Verbose).Concat(streams.Debug).Concat(streams.Information).Concat(streams.Progress)
                .Concat(streams.AllErrors.Select(e => $"{e} {e.ErrorDetails?.RecommendedAction} {e.CategoryInfo}"))));
            AssertHarmless(screen);
        }
        finally
        {
            _cluster.Session.Run("Remove-Item env:TF_BUILD, env:GITHUB_ACTIONS -ErrorAction Ignore");
        }
    }

    [Fact]
    public void Output_objects_keep_the_raw_values()
    {
        var appId = _cluster.Session.Run($"(Get-DaprDeployment -Namespace {Ns} | Where-Object Name -eq hostile).AppId").ThrowOnError().Output.Single().ToString();

        Assert.Equal(Payload, appId);
    }

    private static void AssertHarmless(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            var azureCommands = Regex.Count(line, "##vso\\[", RegexOptions.IgnoreCase);
            Assert.True(azureCommands == 0 || (azureCommands == 1 && line.StartsWith("##vso[task.logissue ", StringComparison.Ordinal)), $"live Azure Pipelines command: {Cut(line)}");
            Assert.DoesNotContain("##[", line);
            Assert.False(Regex.IsMatch(line, @"^\s*::[a-z-]+"), $"live GitHub Actions command: {Cut(line)}");
            Assert.False(line.Contains('\u001b') || line.Contains('\u0007') || line.Contains('\u009b') || line.Contains('\u2028') || line.Contains('\r'), $"raw control character: {Cut(line)}");
            Assert.True(line.Length < 8192, $"a line of {line.Length} characters");
        }
    }

    private static string Cut(string line) => line.Length > 300 ? line[..300] : line;

    /// <summary>A namespace full of hostile text, and a PEM file whose subject is hostile.</summary>
    public sealed class Cluster : ClusterFixture, IAsyncLifetime
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("daprsec-hostile-").FullName;

        public PowerShellSession Session { get; private set; } = null!;

        public string HostilePem { get; private set; } = "";

        public new async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Server.Apply($"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {Ns}\n");
            var annotations = new Dictionary<string, string>
            {
                ["dapr.io/enabled"] = "true",
                ["dapr.io/app-id"] = Payload,
                ["dapr.io/app-token-secret"] = Payload,
                ["dapr.io/api-token-secret"] = s_huge,
                ["dapr.io/config"] = Payload,
                ["dapr.io/sidecar-listen-addresses"] = Payload,
            };
            Apply(new
            {
                apiVersion = "apps/v1",
                kind = "Deployment",
                metadata = new { name = "hostile", @namespace = Ns, annotations = new Dictionary<string, string> { ["note"] = Payload } },
                spec = new
                {
                    replicas = 1,
                    selector = new { matchLabels = new { app = "hostile" } },
                    template = new
                    {
                        metadata = new { labels = new { app = "hostile" }, annotations },
                        spec = new { containers = new[] { new { name = "app", image = Payload } } },
                    },
                },
            });
            Apply(new
            {
                apiVersion = "dapr.io/v1alpha1",
                kind = "Component",
                metadata = new { name = "statestore", @namespace = Ns, annotations = new Dictionary<string, string> { ["note"] = Payload } },
                spec = new { type = "state." + Payload, version = Payload, metadata = new[] { new { name = Payload, value = Payload } } },
                scopes = new[] { Payload, s_huge, "orders" },
            });
            Apply(new
            {
                apiVersion = "dapr.io/v1alpha1",
                kind = "Configuration",
                metadata = new { name = "appconfig", @namespace = Ns },
                spec = new
                {
                    accessControl = new { defaultAction = Payload, trustDomain = Payload, policies = new[] { new { appId = Payload, defaultAction = Payload, @namespace = Payload } } },
                    mtls = new { enabled = true, workloadCertTTL = Payload },
                },
            });
            Apply(new
            {
                apiVersion = "v1",
                kind = "Secret",
                metadata = new
                {
                    name = "app-api-token",
                    @namespace = Ns,
                    annotations = new Dictionary<string, string>
                    {
                        ["daprsecurity.io/token-fingerprint"] = Payload,
                        ["daprsecurity.io/token-updated-at"] = Payload,
                        ["daprsecurity.io/kind"] = Payload,
                        ["note"] = s_huge,
                    },
                },
                stringData = new Dictionary<string, string> { ["token"] = "hostile-token-value-0123456789" },
            });

            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var subject = new X500DistinguishedNameBuilder();
            subject.AddOrganizationName(Payload);
            subject.AddCommonName(Payload);
            var certificate = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            HostilePem = Path.Combine(_directory, "hostile.crt");
            File.WriteAllText(HostilePem, certificate.ExportCertificatePem());

            Session = NewSession();
        }

        public new async Task DisposeAsync()
        {
            Session.Dispose();
            Directory.Delete(_directory, recursive: true);
            await base.DisposeAsync();
        }

        private void Apply(object manifest) => Server.Apply(JsonSerializer.Serialize(manifest));
    }
}
