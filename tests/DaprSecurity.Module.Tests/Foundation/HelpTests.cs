using DaprSecurity.Module.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Module.Tests.Foundation;

/// <summary>Every exported cmdlet must be documented: synopsis, description, every parameter, two examples.</summary>
public sealed class HelpTests
{
    private static readonly string[] CommonParameters =
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable", "WarningVariable",
        "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable",
    };

    public static TheoryData<string> Cmdlets()
    {
        using var session = new PowerShellSession();
        var data = new TheoryData<string>();
        foreach (var name in session.Run("(Get-Module DaprSecurity).ExportedCmdlets.Keys").ThrowOnError().Output)
        {
            data.Add(name.ToString());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Cmdlet_has_synopsis_description_and_at_least_two_examples(string cmdlet)
    {
        using var session = new PowerShellSession();
        var help = session.Run($"Get-Help {cmdlet} -Full").ThrowOnError().Output.Single();

        Assert.False(string.IsNullOrWhiteSpace(help.Properties["Synopsis"].Value?.ToString()), "synopsis");
        Assert.DoesNotContain(cmdlet + " ", help.Properties["Synopsis"].Value!.ToString()!.Trim() + " ", StringComparison.Ordinal);
        var description = session.Run($"(Get-Help {cmdlet} -Full).description.Text").ThrowOnError().Output;
        Assert.NotEmpty(description);
        var examples = session.Run($"(Get-Help {cmdlet} -Examples).examples.example | ForEach-Object {{ $_.code }}").ThrowOnError().Output;
        Assert.True(examples.Count >= 2, $"{cmdlet} has {examples.Count} examples");
        Assert.All(examples, e => Assert.Contains("-", e.ToString()));
    }

    [Fact]
    public void Get_Help_Examples_shows_the_examples_on_screen()
    {
        using var session = new PowerShellSession();

        var screen = session.Render("Get-Help Get-DaprContext -Examples");

        Assert.Contains("Lists the contexts of your kubeconfig without contacting any cluster.", screen);
        Assert.Contains("-------------------------- Example 1 --------------------------", screen);
        Assert.Contains("Get-DaprContext -Current", screen);
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Every_parameter_has_help_text(string cmdlet)
    {
        using var session = new PowerShellSession();
        var parameters = session.Run($"(Get-Command {cmdlet}).Parameters.Keys").ThrowOnError().Output.Select(o => o.ToString()).Except(CommonParameters).ToList();
        var documented = session.Run($"(Get-Help {cmdlet} -Full).parameters.parameter | Where-Object {{ $_.description.Text }} | ForEach-Object {{ $_.name }}")
            .ThrowOnError().Output.Select(o => o.ToString()).ToHashSet();

        Assert.NotEmpty(parameters);
        Assert.All(parameters, p => Assert.True(documented.Contains(p), $"{cmdlet} -{p} has no help text"));
        var typeNames = session.Run($"(Get-Help {cmdlet} -Full).parameters.parameter | ForEach-Object {{ $_.type.name }}").ThrowOnError().Output.Select(o => o.ToString());
        Assert.All(typeNames, t => Assert.DoesNotContain("`", t));
    }
}
