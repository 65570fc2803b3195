using System.Management.Automation;
using DaprSecurity.Module.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Module.Tests.Contexts;

[Collection(EnvironmentCollection.Name)]
public sealed class GetDaprContextTests : IDisposable
{
    private readonly KubeConfigFiles _files = new();
    private readonly PowerShellSession _session = new();

    [Fact]
    public void Lists_contexts_with_cluster_server_namespace_user_and_current()
    {
        var path = _files.Write("config", "dev", "dev", "prod");

        var contexts = _session.Run("Get-DaprContext -KubeConfig $path", new Dictionary<string, object?> { ["path"] = path }).ThrowOnError().Output;

        Assert.Equal(new[] { "dev", "prod" }, contexts.Select(c => c.Properties["Name"].Value));
        var dev = contexts[0];
        Assert.Equal(true, dev.Properties["IsCurrent"].Value);
        Assert.Equal("dev-cluster", dev.Properties["Cluster"].Value);
        Assert.Equal("https://dev.example.invalid:6443", dev.Properties["Server"].Value);
        Assert.Equal("ns-dev", dev.Properties["DefaultNamespace"].Value);
        Assert.Equal("dev-user", dev.Properties["User"].Value);
        Assert.Equal("Token", dev.Properties["AuthKind"].Value.ToString());
        Assert.Equal(path, dev.Properties["KubeConfig"].Value);
        Assert.Equal(false, contexts[1].Properties["IsCurrent"].Value);
        Assert.Equal("DaprSecurity.Output.DaprContextInfo", dev.TypeNames[0]);
    }

    [Fact]
    public void Default_view_is_a_table_of_the_useful_columns()
    {
        var path = _files.Write("config", "dev", "dev", "prod");

        var screen = _session.Render("Get-DaprContext -KubeConfig $path", new Dictionary<string, object?> { ["path"] = path });

        var lines = screen.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Matches(@"^IsCurrent\s+Name\s+DefaultNamespace\s+User\s+AuthKind$", lines[0]);
        Assert.Matches(@"^True\s+dev\s+ns-dev\s+dev-user\s+Token$", lines[2]);
    }

    [Fact]
    public void Merges_several_KUBECONFIG_files_first_definition_wins_and_skips_missing_files()
    {
        var first = _files.Write("a", "alpha", "alpha", "shared");
        var second = _files.Write("b", "beta", "beta", "shared");
        var missing = Path.Combine(_files.Directory, "missing");
        var variable = string.Join(Path.PathSeparator, first, missing, second);

        var contexts = _session.Run("$env:KUBECONFIG = $kc; try { Get-DaprContext } finally { $env:KUBECONFIG = $null }", new Dictionary<string, object?> { ["kc"] = variable }).ThrowOnError().Output;

        Assert.Equal(new[] { "alpha", "shared", "beta" }, contexts.Select(c => c.Properties["Name"].Value));
        Assert.Equal(new object[] { true, false, false }, contexts.Select(c => c.Properties["IsCurrent"].Value));
        Assert.Equal(first, contexts.Single(c => (string)c.Properties["Name"].Value == "shared").Properties["KubeConfig"].Value);
    }

    [Fact]
    public void Names_accept_wildcards_and_the_pipeline()
    {
        var path = _files.Write("config", "dev", "dev", "prod-eu", "prod-us");

        var names = _session.Run("'prod-*' | Get-DaprContext -KubeConfig $path | ForEach-Object Name", new Dictionary<string, object?> { ["path"] = path }).ThrowOnError().Output;
        var current = _session.Run("Get-DaprContext -KubeConfig $path -Current | ForEach-Object Name", new Dictionary<string, object?> { ["path"] = path }).ThrowOnError().Output;

        Assert.Equal(new[] { "prod-eu", "prod-us" }, names.Select(n => n.ToString()));
        Assert.Equal("dev", Assert.Single(current).ToString());
    }

    [Fact]
    public void Reports_the_kind_of_credential_but_never_the_credential()
    {
        var path = _files.WriteRaw("auth", """
            apiVersion: v1
            kind: Config
            current-context: exec
            clusters:
            - name: c
              cluster: {server: "https://c.example.invalid"}
            users:
            - name: exec
              user:
                exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: kubelogin, args: [get-token]}
            - name: oidc
              user:
                auth-provider: {name: oidc, config: {client-id: x}}
            - name: cert
              user: {client-certificate-data: Y2VydA==, client-key-data: a2V5}
            - name: basic
              user: {username: admin, password: pa55word-secret}
            contexts:
            - {name: exec, context: {cluster: c, user: exec}}
            - {name: oidc, context: {cluster: c, user: oidc}}
            - {name: cert, context: {cluster: c, user: cert}}
            - {name: basic, context: {cluster: c, user: basic}}
            """);

        var result = _session.Run("Get-DaprContext -KubeConfig $path", new Dictionary<string, object?> { ["path"] = path }).ThrowOnError();

        Assert.Equal(new[] { "Exec", "AuthProvider", "ClientCertificate", "Basic" }, result.Output.Select(c => c.Properties["AuthKind"].Value.ToString()));
        Assert.DoesNotContain("pa55word-secret", result.AllText());
        Assert.DoesNotContain("Y2VydA==", result.AllText());
    }

    [Fact]
    public void Missing_kubeconfig_file_is_a_clear_error()
    {
        var path = Path.Combine(_files.Directory, "nope.yaml");

        var error = AssertSingleError(_session.Run("Get-DaprContext -KubeConfig $path", new Dictionary<string, object?> { ["path"] = path }));

        Assert.Equal("KubeConfigNotFound,DaprSecurity.Commands.Contexts.GetDaprContextCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal(path, error.TargetObject);
        Assert.Contains(path, error.Exception.Message);
    }

    [Fact]
    public void Malformed_yaml_is_a_clear_error_naming_the_file()
    {
        var path = _files.WriteRaw("broken", "apiVersion: v1\nkind: Config\nclusters: [ {name: x\n  - : :\n");

        var error = AssertSingleError(_session.Run("Get-DaprContext -KubeConfig $path", new Dictionary<string, object?> { ["path"] = path }));

        Assert.StartsWith("KubeConfigInvalid,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Contains(path, error.Exception.Message);
    }

    [Fact]
    public void Unknown_context_name_is_a_non_terminating_error_and_the_others_are_still_listed()
    {
        var path = _files.Write("config", "dev", "dev", "prod");

        var result = _session.Run("Get-DaprContext -KubeConfig $path -Name nope, prod", new Dictionary<string, object?> { ["path"] = path });

        var error = AssertSingleError(result);
        Assert.StartsWith("KubeContextNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal("nope", error.TargetObject);
        Assert.Equal("prod", Assert.Single(result.Output).Properties["Name"].Value);
    }

    [Fact]
    public void Context_names_complete_from_the_kubeconfig_given_on_the_command_line()
    {
        var path = _files.Write("config", "dev", "dev", "prod eu", "prod-us");

        var matches = Completions($"Get-DaprContext -KubeConfig '{path}' -Name pro");

        Assert.Equal(new[] { "'prod eu'", "prod-us" }, matches);
    }

    [Fact]
    public void Every_cluster_cmdlet_completes_Context_from_the_kubeconfig_it_would_use()
    {
        var path = _files.Write("config", "dev", "dev", "prod-eu", "prod-us");

        var matches = Completions($"Test-DaprMtls -KubeConfig '{path}' -Context prod-");

        Assert.Equal(new[] { "prod-eu", "prod-us" }, matches);
    }

    public void Dispose()
    {
        _session.Dispose();
        _files.Dispose();
    }

    /// <summary>What tab completion offers at the end of <paramref name="line"/>.</summary>
    private IEnumerable<string> Completions(string line)
        => _session.Run("(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object CompletionText", new Dictionary<string, object?> { ["line"] = line })
            .ThrowOnError().Output.Select(o => o.ToString());

    private static ErrorRecord AssertSingleError(PowerShellResult result)
    {
        var error = Assert.Single(result.AllErrors);
        Assert.DoesNotContain("   at ", error.ToString());
        return error;
    }
}
