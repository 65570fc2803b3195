namespace DaprSecurity.Engine.IO;

/// <summary>
/// Writes a whole file or nothing: the content goes to a temporary file in the target's folder (so the rename cannot
/// cross file systems), flushed to disk, then renamed over the target. A failure, an exception of the writer or a
/// killed process leaves the old file (or none) and never half a report, baseline or key that a CI step would pick up.
/// </summary>
internal static class AtomicFile
{
    /// <param name="create">Creates the temporary file (new, write-only); a caller that needs owner-only permissions gives its own.</param>
    public static void Write(string path, Action<Stream> write, bool overwrite = true, Func<string, FileStream>? create = null)
    {
        // Through a link to its target, as writing in place would: the link stays a link.
        var file = new FileInfo(Path.GetFullPath(path));
        var target = file.LinkTarget is null ? file.FullName : file.ResolveLinkTarget(returnFinalTarget: true)!.FullName;
        var folder = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The folder {folder} does not exist.");
        }

        var temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = (create ?? CreateNew)(temporary))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary); // what a failed write left
            }
        }
    }

    private static FileStream CreateNew(string path) => new(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
}
