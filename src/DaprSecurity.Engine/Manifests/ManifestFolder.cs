namespace DaprSecurity.Engine.Manifests;

/// <summary>
/// The files a -Path scan reads from a folder, the same way for every reader: the folder's files with one of the
/// extensions (any case) in ordinal order, then each subfolder's in ordinal order of their names; hidden folders
/// (.git, .github) are skipped. Paths start with the folder as given.
/// </summary>
internal static class ManifestFolder
{
    public static IEnumerable<string> Files(DirectoryInfo folder, IReadOnlyCollection<string> extensions)
    {
        var files = folder.EnumerateFiles()
            .Where(f => extensions.Contains(f.Extension, StringComparer.OrdinalIgnoreCase))
            .Select(f => Path.Combine(folder.ToString(), f.Name))
            .Order(StringComparer.Ordinal);
        var children = folder.EnumerateDirectories()
            .Where(d => !d.Name.StartsWith('.'))
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .SelectMany(d => Files(new DirectoryInfo(Path.Combine(folder.ToString(), d.Name)), extensions));
        return files.Concat(children);
    }
}
