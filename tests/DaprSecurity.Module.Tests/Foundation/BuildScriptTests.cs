using System.IO.Compression;
using System.Xml.Linq;
using DaprSecurity.Module.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Module.Tests.Foundation;

public sealed class BuildScriptTests
{
    [Fact]
    public void Package_task_writes_a_module_nupkg_with_the_module_at_its_root()
    {
        using var session = new PowerShellSession(importModule: false);
        var script = Path.Combine(ModulePaths.RepositoryRoot, "build.ps1");

        var package = session.Run("& $script -Task Package -NoBuild", new Dictionary<string, object?> { ["script"] = script }).ThrowOnError().Output.Last().BaseObject;

        var file = Assert.IsType<FileInfo>(package);
        using var zip = ZipFile.OpenRead(file.FullName);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("DaprSecurity.psd1", entries);
        Assert.Contains("DaprSecurity.dll", entries);
        Assert.Contains("DaprSecurity.Format.ps1xml", entries);
        Assert.Contains("en-US/DaprSecurity.dll-Help.xml", entries);
        Assert.Contains("Dependencies/DaprSecurity.Engine.dll", entries);
        Assert.Contains("Dependencies/KubernetesClient.dll", entries);
        using var nuspecStream = zip.GetEntry("DaprSecurity.nuspec")!.Open();
        // NuGet rewrites the nuspec namespace when packing, so read by local name.
        var metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Value(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;
        Assert.Equal("DaprSecurity", Value("id"));
        Assert.Equal("0.1.0", Value("version"));
        Assert.Contains("PSModule", Value("tags").Split(' '));
        Assert.Contains("PSCmdlet_Get-DaprContext", Value("tags").Split(' '));
    }
}
