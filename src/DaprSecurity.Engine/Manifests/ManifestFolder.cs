using DaprSecurity.Abstractions;

namespace DaprSecurity.Engine.Manifests;

/// <summary>
/// The files a -Path scan reads from a folder, the same way for every reader: the folder's files with one of the
/// extensions (any case) in ordinal order, then each subfolder's in ordinal order of their names; hidden folders
/// (.git, .github) are skipped. Paths start with the folder as given. A link to a folder inside it is not followed,
/// as kubectl apply -R does not follow one (a link back to a parent would otherwise be scanned without end); each is
/// a warning, so that a scan never leaves a folder out in silence.
/// </summary>
internal static class ManifestFolder
{
    public static IEnumerable<string> Files(DirectoryInfo folder, IReadOnlyCollection<string> extensions, IEngineHost host)
    {
        var files = folder.EnumerateFiles()
            .Where(f => extensions.Contains(f.Extension, StringComparer.OrdinalIgnoreCase))
            .Select(f => Path.Combine(folder.ToString(), f.Name))
            .Order(StringComparer.Ordinal);
        var children = folder.EnumerateDirectories()
            .Where(d => !d.Name.StartsWith('.'))
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .Select(d => new DirectoryInfo(Path.Combine(folder.ToString(), d.Name)))
            .Where(d => d.LinkTarget is null || Skip(d, host))
            .SelectMany(d => Files(d, extensions, host));
        return files.Concat(children);
    }

    private static bool Skip(DirectoryInfo link, IEngineHost host)
    {
        host.WriteWarning($"Skipped {link}: a link to a folder ({link.LinkTarget}), not followed (kubectl apply -R does not follow one either); give it to -Path to scan it.");
        return false;
    }
}
