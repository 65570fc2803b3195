namespace DaprSecurity.Engine.Audit.Reports;

/// <summary>
/// The folder that file results' paths are given relative to in reports and CI lines: the repository (the git
/// work tree holding the scanned folder, or the CI checkout folder), so GitHub and Azure DevOps can link the file.
/// Results' own paths are relative to the scanned folder, which may sit deeper in the repository.
/// </summary>
internal sealed class SourceRoot
{
    private readonly string? _scanRoot;

    private SourceRoot(string? scanRoot, string? root)
    {
        _scanRoot = scanRoot;
        Path = root;
    }

    /// <summary>The absolute root folder, or null when the run scanned no folder (a cluster).</summary>
    public string? Path { get; }

    /// <summary>
    /// The root for <paramref name="scanRoot"/>: <paramref name="checkout"/> (a CI system's checkout folder) when the
    /// scan root lies inside it, else the nearest enclosing folder with a <c>.git</c>, else the scan root itself.
    /// </summary>
    public static SourceRoot For(string? scanRoot, string? checkout = null)
    {
        if (string.IsNullOrEmpty(scanRoot))
        {
            return new SourceRoot(null, null);
        }

        var scan = System.IO.Path.GetFullPath(scanRoot);
        if (!string.IsNullOrEmpty(checkout) && IsWithin(scan, System.IO.Path.GetFullPath(checkout)))
        {
            return new SourceRoot(scan, System.IO.Path.GetFullPath(checkout));
        }

        for (var folder = new DirectoryInfo(scan); folder is not null; folder = folder.Parent)
        {
            var git = System.IO.Path.Combine(folder.FullName, ".git");
            if (Directory.Exists(git) || File.Exists(git))
            {
                return new SourceRoot(scan, folder.FullName);
            }
        }

        return new SourceRoot(scan, scan);
    }

    /// <summary>A result's path (relative to the scanned folder) made relative to this root, with forward slashes.</summary>
    public string Relative(string resultPath)
    {
        if (_scanRoot is null || Path is null || resultPath.AsSpan().IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0)
        {
            return resultPath;
        }

        var relative = System.IO.Path.GetRelativePath(Path, System.IO.Path.GetFullPath(System.IO.Path.Combine(_scanRoot, resultPath)));
        return relative.StartsWith("..", StringComparison.Ordinal) || System.IO.Path.IsPathRooted(relative)
            ? resultPath
            : relative.Replace('\\', '/');
    }

    private static bool IsWithin(string path, string folder)
    {
        var relative = System.IO.Path.GetRelativePath(folder, path);
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !System.IO.Path.IsPathRooted(relative));
    }
}
