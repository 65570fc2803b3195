using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using DaprSecurity.Abstractions;
using Xunit;

namespace DaprSecurity.Engine.Tests.Errors;

public sealed class ErrorCatalogueTests
{
    private const string TableStart = "<!-- error-catalogue:start (generated from src/DaprSecurity/Abstractions/DaprErrors.cs by ErrorCatalogueTests) -->";
    private const string TableEnd = "<!-- error-catalogue:end -->";

    [Fact]
    public void Every_id_is_declared_once_under_its_own_name_with_a_meaning()
    {
        var fields = typeof(DaprErrors).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.FieldType == typeof(DaprError)).ToArray();

        Assert.Equal(fields.Length, DaprErrors.All.Count);
        Assert.Empty(DaprErrors.All.GroupBy(e => e.Id, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.All(fields, f => Assert.Equal(f.Name, ((DaprError)f.GetValue(null)!).Id));
        Assert.All(DaprErrors.All, e => Assert.False(string.IsNullOrWhiteSpace(e.Meaning), e.Id));
    }

    /// <summary>
    /// The compiler keeps the engine from creating a <see cref="DaprError"/> (its constructor is internal to the contract
    /// assembly), so an uncatalogued error could only come from the contract assembly itself: this fails when any code
    /// there but the catalogue's field initializers constructs one.
    /// </summary>
    [Fact]
    public void Only_the_catalogue_creates_errors()
    {
        var constructor = typeof(DaprError).GetConstructors(BindingFlags.Instance | BindingFlags.NonPublic).Single();
        var creators = CallersOf(constructor).ToArray();

        Assert.Equal(new[] { $"{nameof(DaprErrors)}..cctor" }, creators);
    }

    [Fact]
    public void An_error_raised_carries_its_catalogue_entry()
    {
        var error = DaprErrors.ManifestUnreadable.Raise("m", "target");

        Assert.True(error.Is(DaprErrors.ManifestUnreadable));
        Assert.False(error.Is(DaprErrors.ManifestInvalidYaml));
        Assert.Equal(("ManifestUnreadable", DaprErrorCategory.ReadError, "target"), (error.ErrorId, error.Category, error.TargetObject));
    }

    [Fact]
    public void The_readme_error_table_is_the_catalogue()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")).ReplaceLineEndings("\n");
        var start = readme.IndexOf(TableStart, StringComparison.Ordinal);
        var end = readme.IndexOf(TableEnd, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"README.md lacks the markers {TableStart} ... {TableEnd}.");

        var actual = readme[(start + TableStart.Length)..end].Trim('\n');
        var expected = Table();
        Assert.True(expected == actual, $"The README error table differs from the catalogue. Replace the lines between the markers with:\n{expected}");
    }

    private static string Table()
    {
        var table = new StringBuilder("| Error id | Category | Meaning |\n|---|---|---|\n");
        foreach (var error in DaprErrors.All)
        {
            table.Append($"| `{error.Id}` | {error.Category} | {error.Meaning.Replace("|", "\\|", StringComparison.Ordinal)} |\n");
        }

        return table.ToString().TrimEnd('\n');
    }

    /// <summary>
    /// Methods of <paramref name="constructor"/>'s assembly whose IL has a <c>newobj</c> of it, named Type.Method. Read
    /// from the file's metadata, so the cmdlet types need no PowerShell to be inspected.
    /// </summary>
    private static IEnumerable<string> CallersOf(ConstructorInfo constructor)
    {
        var newobj = new[] { (byte)OpCodes.Newobj.Value }.Concat(BitConverter.GetBytes(constructor.MetadataToken)).ToArray();
        using var pe = new PEReader(File.OpenRead(constructor.Module.Assembly.Location));
        var metadata = pe.GetMetadataReader();
        var callers = new List<string>();
        foreach (var handle in metadata.MethodDefinitions)
        {
            var method = metadata.GetMethodDefinition(handle);
            if (method.RelativeVirtualAddress == 0)
            {
                continue;
            }

            var il = pe.GetMethodBody(method.RelativeVirtualAddress).GetILBytes() ?? [];
            if (Enumerable.Range(0, Math.Max(0, il.Length - newobj.Length + 1)).Any(i => il.AsSpan(i, newobj.Length).SequenceEqual(newobj)))
            {
                var type = metadata.GetTypeDefinition(method.GetDeclaringType());
                callers.Add($"{metadata.GetString(type.Name)}.{metadata.GetString(method.Name)}");
            }
        }

        return callers;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "DaprSecurity.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("DaprSecurity.sln not found above the test's output folder.");
    }
}
