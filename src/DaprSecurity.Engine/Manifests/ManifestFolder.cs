using System.IO.Enumeration;
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
    // As DirectoryInfo's own enumeration: nothing skipped by attribute, an unreadable folder an error.
    private static readonly EnumerationOptions s_options = new() { AttributesToSkip = 0, IgnoreInaccessible = false };

    public static IEnumerable<string> Files(DirectoryInfo folder, IReadOnlyCollection<string> extensions, IEngineHost host)
    {
        // One read of the folder for its files and subfolders, a file's kind from the directory entry itself (only a
        // subfolder's attributes cost a stat(2), to tell a link): a FileInfo or DirectoryInfo for each entry and a
        // readlink(2) for each subfolder took longer than reading the files' names.
        var root = folder.ToString();
        var entries = new FileSystemEnumerable<(string Name, bool IsFolder, bool IsLink)>(
            root,
            (ref FileSystemEntry entry) => (entry.FileName.ToString(), entry.IsDirectory, entry.IsDirectory && (entry.Attributes & FileAttributes.ReparsePoint) != 0),
            s_options).ToList();
        foreach (var file in entries.Where(e => !e.IsFolder && extensions.Contains(Path.GetExtension(e.Name), StringComparer.OrdinalIgnoreCase)).Select(e => Path.Combine(root, e.Name)).Order(StringComparer.Ordinal))
        {
            yield return file;
        }

        foreach (var child in entries.Where(e => e.IsFolder && !e.Name.StartsWith('.')).OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var path = Path.Combine(root, child.Name);
            if (child.IsLink)
            {
                host.WriteWarning($"Skipped {path}: a link to a folder ({new DirectoryInfo(path).LinkTarget}), not followed (kubectl apply -R does not follow one either); give it to -Path to scan it.");
                continue;
            }

            foreach (var file in Files(new DirectoryInfo(path), extensions, host))
            {
                yield return file;
            }
        }
    }
}
