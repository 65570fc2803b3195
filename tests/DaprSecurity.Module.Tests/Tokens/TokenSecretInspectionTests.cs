using System.Management.Automation;
using DaprSecurity.Module.Tests.Infrastructure;

namespace DaprSecurity.Module.Tests.Tokens;

/// <summary>Get-DaprTokenSecret, Remove-DaprTokenSecret and Get-DaprNamespace over a cluster with healthy and broken token secrets.</summary>
public sealed class TokenSecretInspectionTests : IClassFixture<ClusterFixture>, IDisposable
{
    private readonly ClusterFixture _cluster;
    private readonly PowerShellSession _session;

    public TokenSecretInspectionTests(ClusterFixture cluster)
    {
        _cluster = cluster;
        _session = cluster.NewSession();
    }

    private KubeApiServer.KubeApiServer Server => _cluster.Server;

    [Fact]
    public void Shows_fingerprints_consumers_and_every_kind_of_broken_reference()
    {
        DaprApps.Deploy(Server, "inspect-a", "orders", appTokenSecret: "app-api-token", apiTokenSecret: "dapr-api-token");
        DaprApps.Secret(Server, "inspect-a", "app-api-token", "shared-token");
        DaprApps.Secret(Server, "inspect-a", "dapr-api-token", "api-token\n");
        DaprApps.Deploy(Server, "inspect-b", "cart", appTokenSecret: "app-api-token");
        DaprApps.Deploy(Server, "inspect-b", "search", appTokenSecret: "cart-token");
        DaprApps.Secret(Server, "inspect-b", "app-api-token", "shared-token");
        Server.Apply("apiVersion: v1\nkind: Secret\nmetadata: {name: cart-token, namespace: inspect-b}\ndata: {password: eA==}\n");
        DaprApps.Deploy(Server, "inspect-c", "billing", apiTokenSecret: "missing-token");
        DaprApps.Secret(Server, "inspect-c", "app-api-token", "other-token");

        var result = _session.Run("Get-DaprTokenSecret -Namespace inspect-* -Verbose");
        var rows = result.Output.Select(o => (
            Key: $"{o.Properties["Namespace"].Value}/{o.Properties["SecretName"].Value}",
            Status: o.Properties["Status"].Value.ToString(),
            Fingerprint: (string?)o.Properties["Fingerprint"].Value,
            Consumers: string.Join(",", (IEnumerable<string>)o.Properties["Consumers"].Value))).ToList();

        Assert.Equal(
            new[]
            {
                ("inspect-a/app-api-token", "InUse", "Deployment/orders"),
                ("inspect-a/dapr-api-token", "Malformed", "Deployment/orders"),
                ("inspect-b/app-api-token", "InUse", "Deployment/cart"),
                ("inspect-b/cart-token", "MissingKey", "Deployment/search"),
                ("inspect-c/app-api-token", "Unused", ""),
                ("inspect-c/missing-token", "Dangling", "Deployment/billing"),
            },
            rows.Select(r => (r.Key, r.Status!, r.Consumers)));
        Assert.Equal(rows[0].Fingerprint, rows[2].Fingerprint);
        Assert.NotEqual(rows[0].Fingerprint, rows[4].Fingerprint);
        Assert.Null(rows[5].Fingerprint);
        Assert.Contains(result.Warnings, w => w.Contains("Deployment inspect-c/billing") && w.Contains("missing-token") && w.Contains("CreateContainerConfigError"));
        Assert.Contains(result.Verbose, v => v.Contains("app-api-token holds 2 different tokens across 3 namespaces"));
        Assert.DoesNotContain("shared-token", result.AllText());
    }

    [Fact]
    public void Remove_refuses_a_secret_in_use_unless_forced_and_removes_unused_ones()
    {
        DaprApps.Deploy(Server, "remove-a", "orders", appTokenSecret: "app-api-token");
        DaprApps.Secret(Server, "remove-a", "app-api-token", "t1");
        DaprApps.Deploy(Server, "remove-b", "cart");
        DaprApps.Secret(Server, "remove-b", "app-api-token", "t2");

        var refused = _session.Run("Remove-DaprTokenSecret -Namespace remove-* -Confirm:$false -PassThru | ForEach-Object Namespace");
        var forced = _session.Run("Remove-DaprTokenSecret -Namespace remove-a -Force -Confirm:$false -PassThru | ForEach-Object Action").ThrowOnError();
        var missing = _session.Run("Remove-DaprTokenSecret -Namespace remove-a -Confirm:$false");

        var error = Assert.Single(refused.AllErrors);
        Assert.Equal("TokenSecretInUse", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("Deployment remove-a/orders", error.ToString());
        Assert.Equal("remove-b", Assert.Single(refused.Output).ToString());
        Assert.Null(DaprApps.StoredToken(Server, "remove-b", "app-api-token"));
        Assert.Equal("Removed", Assert.Single(forced.Output).ToString());
        Assert.Null(DaprApps.StoredToken(Server, "remove-a", "app-api-token"));
        Assert.Equal("TokenSecretNotFound", Assert.Single(missing.AllErrors).FullyQualifiedErrorId.Split(',')[0]);
    }

    [Fact]
    public void Get_Namespace_alias_takes_wildcards_and_counts_Dapr_workloads_and_token_secrets()
    {
        DaprApps.Deploy(Server, "ns-info-a", "orders", appTokenSecret: "app-api-token");
        DaprApps.Deploy(Server, "ns-info-a", "legacy", daprEnabled: false);
        DaprApps.Secret(Server, "ns-info-a", "app-api-token", "t");
        DaprApps.Deploy(Server, "ns-info-b", "cart");
        DaprApps.Secret(Server, "ns-info-b", "dapr-api-token", "t");

        var result = _session.Run("Get-Namespace ns-info-* | ForEach-Object { \"$($_.Name) $($_.Status) $($_.DaprWorkloads) $($_.AppTokenSecret) $($_.ApiTokenSecret)\" }").ThrowOnError();
        var alias = _session.Run("(Get-Command Get-Namespace).ResolvedCommand.Name; (Get-Module DaprSecurity).ExportedAliases.Keys").ThrowOnError();

        Assert.Equal(new[] { "ns-info-a Active 1 True False", "ns-info-b Active 1 False True" }, result.Output.Select(o => o.ToString()));
        Assert.Equal(new[] { "Get-DaprNamespace", "Get-Namespace" }, alias.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void Namespace_names_bind_from_strings_Get_Namespace_and_kubectl_json_objects()
    {
        foreach (var ns in new[] { "bind-str", "bind-obj", "bind-json" })
        {
            DaprApps.Deploy(Server, ns, "orders", appTokenSecret: "app-api-token");
        }

        var result = _session.Run("""
            $token = New-DaprAppToken -Kind Api
            'bind-str' | Set-DaprTokenSecret -Token $token -PassThru
            Get-Namespace bind-obj | Set-DaprTokenSecret -Token $token -PassThru
            [pscustomobject]@{ apiVersion = 'v1'; kind = 'Namespace'; metadata = [pscustomobject]@{ name = 'bind-json'; uid = '1' } } | Set-DaprTokenSecret -Token $token -PassThru
            """).ThrowOnError();

        Assert.Equal(new[] { "bind-str", "bind-obj", "bind-json" }, result.Output.Select(o => o.Properties["Namespace"].Value));
        Assert.All(result.Output, o => Assert.Equal(("Api", "dapr-api-token"), (o.Properties["Kind"].Value.ToString(), (string)o.Properties["SecretName"].Value)));
    }

    [Fact]
    public void A_piped_token_object_without_Namespace_is_a_clear_binding_error()
    {
        var result = _session.Run("New-DaprAppToken | Set-DaprTokenSecret");

        Assert.Contains("A token is not a namespace", Assert.Single(result.AllErrors).ToString());
    }

    public void Dispose() => _session.Dispose();
}
