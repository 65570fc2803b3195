using System.Reflection;
using System.Runtime.Loader;
using DaprSecurity.Module.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Isolation.Tests;

/// <summary>One test, one process: the order of loads is the point.</summary>
public sealed class DependencyIsolationTests
{
    [Fact]
    public void Module_works_beside_other_versions_of_its_dependencies_and_loads_them_only_when_a_command_needs_them()
    {
        // Other modules got there first with their own YamlDotNet (powershell-yaml) and IdentityModel (Az.Accounts).
        var foreignYaml = typeof(YamlDotNet.Serialization.Deserializer).Assembly;
        new YamlDotNet.Serialization.Deserializer().Deserialize<Dictionary<string, string>>("a: b");
        new System.IdentityModel.Tokens.Jwt.JwtSecurityTokenHandler().CanReadToken("not.a.token");
        var foreignTokens = typeof(Microsoft.IdentityModel.Tokens.SecurityKey).Assembly;
        Assert.Equal(13, foreignYaml.GetName().Version!.Major);
        Assert.Equal(7, foreignTokens.GetName().Version!.Major);
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(foreignYaml));
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(foreignTokens));

        using var files = new KubeConfigFiles();
        var path = files.Write("config", "dev", "dev", "prod");
        using var session = new PowerShellSession();
        session.Run("Get-Help Get-DaprContext -Full | Out-Null; Get-Command -Module DaprSecurity -Syntax | Out-Null").ThrowOnError();

        Assert.DoesNotContain(Loaded(), a => a.GetName().Name is "KubernetesClient" or "DaprSecurity.Engine");
        Assert.DoesNotContain(Loaded(), a => a.GetName().Name == "YamlDotNet" && a != foreignYaml);

        var names = session.Run("Get-DaprContext -KubeConfig $path | ForEach-Object Name", new Dictionary<string, object?> { ["path"] = path }).ThrowOnError().Output;

        Assert.Equal(new[] { "dev", "prod" }, names.Select(n => n.ToString()));
        var moduleYaml = Assert.Single(Loaded(), a => a.GetName().Name == "YamlDotNet" && a != foreignYaml);
        Assert.Equal(18, moduleYaml.GetName().Version!.Major);
        Assert.Equal("DaprSecurity.Engine", AssemblyLoadContext.GetLoadContext(moduleYaml)!.Name);
        var client = Assert.Single(Loaded(), a => a.GetName().Name == "KubernetesClient");
        Assert.Equal("DaprSecurity.Engine", AssemblyLoadContext.GetLoadContext(client)!.Name);
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(Assert.Single(Loaded(), a => a.GetName().Name == "DaprSecurity")));

        var fingerprint = session.Run("New-DaprAppToken | ForEach-Object Fingerprint").ThrowOnError().Output;

        Assert.Matches("^[0-9a-f]{12}$", Assert.Single(fingerprint).ToString());
        var moduleTokens = Assert.Single(Loaded(), a => a.GetName().Name == "Microsoft.IdentityModel.Tokens" && a != foreignTokens);
        Assert.Equal(8, moduleTokens.GetName().Version!.Major);
        Assert.Equal("DaprSecurity.Engine", AssemblyLoadContext.GetLoadContext(moduleTokens)!.Name);
    }

    private static Assembly[] Loaded() => AppDomain.CurrentDomain.GetAssemblies();
}
