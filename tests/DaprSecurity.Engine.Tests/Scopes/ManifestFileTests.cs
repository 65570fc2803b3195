using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Manifests;
using DaprSecurity.Engine.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Engine.Tests.Scopes;

public sealed class ManifestFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void A_file_changed_on_disk_after_reading_is_not_overwritten()
    {
        var path = _folder.Write("c.yaml", "a: 1\n");
        var file = ManifestFile.Read(path);
        File.WriteAllText(path, "a: 2\n");

        Assert.Throws<ManifestChangedException>(() => file.Replace("a: 3\n"));

        Assert.Equal("a: 2\n", File.ReadAllText(path));
        Assert.Equal(new[] { "c.yaml" }, _folder.Files());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Replacing_keeps_the_file_mode_and_writes_through_a_symbolic_link()
    {
        var target = _folder.Write("real/c.yaml", "a: 1\n");
        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var link = Path.Combine(_folder.Path, "link.yaml");
        File.CreateSymbolicLink(link, target);

        ManifestFile.Read(link).Replace("a: 2\n");

        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Equal("a: 2\n", File.ReadAllText(target));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(target));
        Assert.Equal(new[] { "link.yaml", "real/c.yaml" }, _folder.Files());
    }

    [Fact]
    public void A_failed_write_is_a_clear_error_and_leaves_no_temporary_file()
    {
        var path = _folder.Write("c.yaml", "a: 1\n");
        var file = ManifestFile.Read(path);
        Directory.CreateDirectory(path + ".blocker");
        File.Delete(path);
        Directory.Move(path + ".blocker", path);

        var error = Assert.Throws<DaprSecurityException>(() => file.Replace("a: 2\n"));

        Assert.Equal("ManifestWriteFailed", error.ErrorId);
        Assert.Contains("left unchanged", error.Message);
        Assert.Empty(_folder.Files());
    }

    [Fact]
    public void Text_that_is_not_utf8_is_refused()
    {
        var path = _folder.Write("c.yaml", "");
        File.WriteAllBytes(path, new byte[] { 0x61, 0x3A, 0x20, 0xE9, 0x0A });

        var error = Assert.Throws<DaprSecurityException>(() => ManifestFile.Read(path));

        Assert.Equal(("ManifestUnreadable", DaprErrorCategory.ReadError), (error.ErrorId, error.Category));
    }

    [Fact]
    public void Hostile_yaml_is_a_clear_error_not_a_crash()
    {
        var deep = new string('[', 5000) + new string(']', 5000);
        var laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + string.Concat(Enumerable.Range(1, 9).Select(i => $"{(char)('a' + i)}: &{(char)('a' + i)} [{string.Join(", ", Enumerable.Repeat("*" + (char)('a' + i - 1), 10))}]\n"));

        var nesting = Assert.Throws<DaprSecurityException>(() => ManifestParser.Parse(deep, "deep.yaml"));
        var expansion = Assert.Throws<DaprSecurityException>(() => ManifestJson.From(ManifestParser.Parse(laughs, "laughs.yaml")[0].Root, "laughs.yaml"));

        Assert.Equal("ManifestInvalidYaml", nesting.ErrorId);
        Assert.Contains("nested more than", nesting.Message);
        Assert.Equal("ManifestInvalidYaml", expansion.ErrorId);
        Assert.Contains("aliases expand", expansion.Message);
    }

    [Theory]
    [InlineData("kind: Service\nmetadata:\n  name: a\n\tnamespace: b\n", "x.yaml:4:1: not valid YAML: While scanning a plain scalar, found a tab character that violate indentation.")]
    [InlineData("kind: Service\nmetadata:\n\tname: a\n", "x.yaml:3:1: not valid YAML: While scanning a mapping, found invalid tab as indentation.")]
    [InlineData("kind: Service\nmetadata:\n  name: \"a\nb: 1\n", "x.yaml:4:1: not valid YAML: While scanning a multi-line double-quoted scalar, found wrong indentation.")]
    [InlineData("kind: Service\nmetadata: [a, b\n", "x.yaml:3:1: not valid YAML: While parsing a flow sequence, did not find expected ',' or ']'.")]
    public void A_syntax_error_names_the_line_and_column_to_fix_and_carries_them(string yaml, string message)
    {
        var error = Assert.Throws<DaprSecurityException>(() => ManifestParser.Parse(yaml, "x.yaml"));

        Assert.Equal(message, error.Message);
        var at = Assert.IsAssignableFrom<YamlDotNet.Core.YamlException>(error.InnerException);
        Assert.Equal(message.Split(':')[1], at.Start.Line.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public void Dispose() => _folder.Dispose();
}
