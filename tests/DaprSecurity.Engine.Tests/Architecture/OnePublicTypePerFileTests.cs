using System.Text.RegularExpressions;
using DaprSecurity.Module.Tests.Infrastructure;
using Xunit;

namespace DaprSecurity.Engine.Tests.Architecture;

/// <summary>
/// Every file under src/ declares at most one public top-level type, named like the file, so a type is found by its
/// name. The build enforces file-scoped namespaces (IDE0161), so a top-level declaration starts at column 0.
/// </summary>
public sealed partial class OnePublicTypePerFileTests
{
    /// <summary>
    /// Files still being changed by other work of issue 10 (the asynchronous contracts, the rollout); split them when
    /// that work is merged, then remove them here. The test fails for an entry that no longer needs to be here.
    /// </summary>
    private static readonly HashSet<string> NotSplitYet = new(StringComparer.Ordinal)
    {
    };

    [Fact]
    public void Every_source_file_declares_at_most_one_public_type_named_like_the_file()
    {
        var offenders = SourceFiles()
            .Select(file => (File: file, Types: PublicTopLevelTypes(File.ReadAllText(Path.Combine(ModulePaths.RepositoryRoot, file)))))
            .Where(f => (f.Types.Count > 1 && !NotSplitYet.Contains(f.File))
                || (f.Types.Count == 1 && f.Types[0] != Path.GetFileNameWithoutExtension(f.File)))
            .Select(f => $"{f.File}: {string.Join(", ", f.Types)}")
            .ToList();

        Assert.True(offenders.Count == 0, "Give each public type its own file, named after it:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void Every_file_not_split_yet_still_needs_splitting()
    {
        var done = NotSplitYet.Where(file => !File.Exists(Path.Combine(ModulePaths.RepositoryRoot, file))
            || PublicTopLevelTypes(File.ReadAllText(Path.Combine(ModulePaths.RepositoryRoot, file))).Count <= 1).ToList();

        Assert.True(done.Count == 0, "Remove from NotSplitYet, they are split now:\n" + string.Join("\n", done));
    }

    [Fact]
    public void Counts_top_level_public_types_but_not_nested_or_internal_ones()
    {
        const string source = """
            namespace X;

            /// <summary>A report.</summary>
            public sealed class Report
            {
                public sealed record Nested(int A);
            }

            internal sealed class Helper { }

            public enum Verdict { Pass }

            public readonly record struct Point(int X, int Y);
            """;

        Assert.Equal(["Report", "Verdict", "Point"], PublicTopLevelTypes(source));
    }

    private static IEnumerable<string> SourceFiles()
        => Directory.EnumerateFiles(Path.Combine(ModulePaths.RepositoryRoot, "src"), "*.cs", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(ModulePaths.RepositoryRoot, path).Replace('\\', '/'))
            .Where(file => !file.Contains("/obj/", StringComparison.Ordinal) && !file.Contains("/bin/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    private static List<string> PublicTopLevelTypes(string source)
        => TopLevelPublicType().Matches(source).Select(m => m.Groups["name"].Value).ToList();

    [GeneratedRegex(@"^public\s+(?:(?:sealed|static|abstract|partial|readonly|unsafe)\s+)*(?:class|struct|interface|enum|delegate\s+\S+|record(?:\s+(?:class|struct))?)\s+(?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex TopLevelPublicType();
}
