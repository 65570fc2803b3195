using System.Xml.Linq;
using DaprSecurity.Module.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Module.Tests.Foundation;

public sealed class ManifestTests
{
    // The manifest checks (Test-ModuleManifest, exported cmdlets) moved to tests/DaprSecurity.Pester/Module.Tests.ps1.

    [Fact]
    public void Every_output_type_has_a_table_and_a_list_view_whose_text_goes_through_the_sanitizer()
    {
        using var session = new PowerShellSession();
        // Pivot rows carry one property per component: no static view can name those columns, so each row sets its own display set.
        var outputTypes = session.Run("Get-Command -Module DaprSecurity | ForEach-Object { $_.OutputType.Name } | Where-Object { $_ -like 'DaprSecurity.*' -and $_ -ne 'DaprSecurity.Output.DaprAccessPivotRow' }")
            .ThrowOnError().Output.Select(o => o.ToString()).Distinct().ToList();
        var format = XDocument.Load(Path.Combine(ModulePaths.ModuleDirectory, "DaprSecurity.Format.ps1xml"));
        var views = format.Descendants("View")
            .Where(v => v.Element("TableControl") is not null)
            .Select(v => v.Element("ViewSelectedBy")!.Element("TypeName")!.Value)
            .ToHashSet();

        var listViews = format.Descendants("View")
            .Where(v => v.Element("ListControl") is not null)
            .Select(v => v.Element("ViewSelectedBy")!.Element("TypeName")!.Value)
            .ToHashSet();

        Assert.NotEmpty(outputTypes);
        Assert.All(outputTypes, t => Assert.Contains(t, views));
        Assert.All(outputTypes, t => Assert.Contains(t, listViews));
        // Script blocks only to show cluster or file text through the one sanitizer.
        Assert.All(format.Descendants("ScriptBlock"), b => Assert.Contains("[DaprSecurity.Text.UntrustedText]::Sanitize(", b.Value));
        var rawText = format.Descendants("View")
            .SelectMany(v => v.Descendants("PropertyName").Select(p => (Type: v.Element("ViewSelectedBy")!.Element("TypeName")!.Value, Name: p.Value)))
            .Where(x => session.Run("([type]$t).GetProperty($n).PropertyType -eq [string]", new Dictionary<string, object?> { ["t"] = x.Type, ["n"] = x.Name }).Output.Single().BaseObject is true)
            .ToList();
        Assert.Empty(rawText);
    }
}
