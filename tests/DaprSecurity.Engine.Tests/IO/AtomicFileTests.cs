using DaprSecurity.Engine.IO;
using DaprSecurity.Engine.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Engine.Tests.IO;

/// <summary>Reports, baselines and keys are written whole or not at all (a CI step must never pick up half a file).</summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void A_writer_that_fails_half_way_leaves_the_old_file_and_no_temporary_one()
    {
        var path = _folder.Write("report.sarif", "the previous report");

        var error = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("{\"half"u8);
            throw new InvalidOperationException("the writer failed");
        }));

        Assert.Equal("the writer failed", error.Message);
        Assert.Equal("the previous report", File.ReadAllText(path));
        Assert.Equal(new[] { "report.sarif" }, _folder.Files());
    }

    [Fact]
    public void A_new_file_appears_only_complete_and_a_link_is_written_through()
    {
        var target = _folder.Write("reports/latest.xml", "old");
        var link = Path.Combine(_folder.Path, "link.xml");
        File.CreateSymbolicLink(link, target);

        AtomicFile.Write(Path.Combine(_folder.Path, "new.md"), stream => stream.Write("# new"u8));
        AtomicFile.Write(link, stream => stream.Write("<new/>"u8));

        Assert.Equal("# new", File.ReadAllText(Path.Combine(_folder.Path, "new.md")));
        Assert.Equal("<new/>", File.ReadAllText(target));
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Equal(new[] { "link.xml", "new.md", Path.Combine("reports", "latest.xml") }, _folder.Files());
    }

    [Fact]
    public void Without_overwrite_an_existing_file_is_kept()
    {
        var path = _folder.Write("key.pem", "existing");

        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream => stream.Write("new"u8), overwrite: false));

        Assert.Equal("existing", File.ReadAllText(path));
        Assert.Equal(new[] { "key.pem" }, _folder.Files());
    }

    [Fact]
    public void A_missing_folder_is_an_error_naming_it()
    {
        var folder = Path.Combine(_folder.Path, "missing");

        var error = Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.Write(Path.Combine(folder, "report.sarif"), stream => stream.Write("{}"u8)));

        Assert.Equal($"The folder {folder} does not exist.", error.Message);
        Assert.Empty(_folder.Files());
    }

    public void Dispose() => _folder.Dispose();
}
