using System.Collections;
using System.Net;
using System.Reflection;
using System.Text;
using DaprSecurity.KubeApiServer.Security;
using DaprSecurity.Module.Tests.Infrastructure;

namespace DaprSecurity.Module.Tests.Tokens;

/// <summary>
/// Every token cmdlet, with -Verbose -Debug (and -WhatIf where it has it), on success and error paths: the token must not
/// appear in any stream, in the console (WhatIf text), or anywhere inside the exceptions of the errors.
/// </summary>
public sealed class TokenLeakTests : IClassFixture<ClusterFixture>, IDisposable
{
    private readonly ClusterFixture _cluster;
    private readonly PowerShellSession _session;
    private readonly string _probe = "leak-probe-" + Guid.NewGuid().ToString("N");

    public TokenLeakTests(ClusterFixture cluster)
    {
        _cluster = cluster;
        _session = cluster.NewSession();
    }

    public static TheoryData<string> WhatIfScripts() => new()
    {
        "Set-DaprTokenSecret -Token $t -Namespace leak-* -Verbose -Debug -WhatIf",
        "Set-DaprSidecarAnnotation -Namespace leak-a -ApiTokenSecret dapr-api-token -MountTokenInApp -Verbose -Debug -WhatIf",
        "Restart-DaprDeployment -Namespace leak-a -Verbose -Debug -WhatIf",
        "Remove-DaprTokenSecret -Namespace leak-a -Kind Api -Force -Verbose -Debug -WhatIf",
        "$t | Set-DaprTokenEnvironment -Kind Api -Verbose -Debug -WhatIf",
    };

    public static TheoryData<string> Scripts() => new()
    {
        "Set-DaprTokenSecret -Token $t -Namespace leak-*, no-such-namespace -PassThru -Verbose -Debug | Restart-DaprDeployment -Wait -Timeout 20 -Verbose -Debug",
        "Set-DaprTokenSecret -Token $t -Namespace leak-a -KubeConfig $limited -Verbose -Debug",
        "Set-DaprTokenSecret -Namespace leak-a -Token \"$probe with a space\" -Verbose -Debug",
        "Get-DaprTokenSecret -Namespace leak-* -Verbose -Debug",
        "Get-DaprDeployment -Namespace leak-* -Verbose -Debug",
        "Get-DaprNamespace leak-* -Verbose -Debug",
        "$t | Test-DaprTokenEnforcement -Uri $uri -Verbose -Debug",
    };

    [Theory]
    [MemberData(nameof(WhatIfScripts))]
    public void WhatIf_runs_never_show_the_token(string script)
    {
        Prepare();

        var streams = _session.Run(script, Variables()).ThrowOnError();
        var screen = _session.Render(script, Variables());

        Assert.Contains("What if:", screen);
        AssertNoToken(streams.AllText() + screen + Exceptions(streams));
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Runs_and_their_errors_never_show_the_token(string script)
    {
        Prepare();
        using var app = TokenCheckingApp.Checking(_probe);

        var result = _session.Run(script, Variables(app.Url));

        AssertNoToken(result.AllText() + Exceptions(result));
    }

    [Fact]
    public void New_DaprAppToken_never_shows_the_token_it_creates()
    {
        var result = _session.Run("$created = New-DaprAppToken -Claim @{ env = 'test' } -ExpiresIn ([timespan]::FromDays(1)) -Verbose -Debug; $created").ThrowOnError();
        var token = _session.Run("[System.Net.NetworkCredential]::new('', $created.Token).Password").ThrowOnError().Output.Single().ToString();

        var text = result.AllText();
        Assert.DoesNotContain(token, text);
        Assert.DoesNotContain(token.Split('.')[2], text);
    }

    public void Dispose() => _session.Dispose();

    private void Prepare()
    {
        DaprApps.Deploy(_cluster.Server, "leak-a", "orders", appTokenSecret: "app-api-token");
        DaprApps.Secret(_cluster.Server, "leak-a", "dapr-api-token", "another-token");
        _cluster.Server.AddUser("leak-limited", "leak-limited-token", AccessRule.Forbid("create,update,patch", "secrets"));
    }

    private Dictionary<string, object?> Variables(string uri = "http://127.0.0.1:9/") => new()
    {
        ["t"] = _probe,
        ["probe"] = _probe,
        ["uri"] = uri,
        ["limited"] = _cluster.Server.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"leak-{Guid.NewGuid():N}.kubeconfig"), "leak-limited"),
    };

    private void AssertNoToken(string text)
    {
        Assert.DoesNotContain(_probe, text);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(_probe)), text);
    }

    /// <summary>Every string reachable from the errors' exceptions (messages, inner exceptions, HTTP requests they carry), two levels deep.</summary>
    private static string Exceptions(PowerShellResult result)
    {
        var text = new StringBuilder();
        foreach (var error in result.AllErrors)
        {
            for (Exception? e = error.Exception; e is not null; e = e.InnerException)
            {
                Dump(e, text, depth: 0);
            }
        }

        return text.ToString();
    }

    private static void Dump(object? value, StringBuilder text, int depth)
    {
        if (value is null || depth > 2)
        {
            return;
        }

        if (value is string or ValueType)
        {
            text.Append(value).Append('\n');
            return;
        }

        if (value is IEnumerable items and not string)
        {
            foreach (var item in items.Cast<object?>().Take(20))
            {
                Dump(item, text, depth + 1);
            }

            return;
        }

        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0 && p.Name != "TargetSite"))
        {
            try
            {
                Dump(property.GetValue(value), text, depth + 1);
            }
            catch (Exception e) when (e is TargetInvocationException or NotSupportedException or InvalidOperationException)
            {
            }
        }
    }
}
