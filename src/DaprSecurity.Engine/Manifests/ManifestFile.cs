using System.Text;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.IO;

namespace DaprSecurity.Engine.Manifests;

/// <summary>
/// A manifest file's text, decoded so that it can be written back byte for byte: the byte order mark, the encoding
/// and the line endings are kept, and a write replaces the file atomically (a temporary file in the same folder,
/// renamed over it), so a failure leaves the old file whole and a reader never sees half a file.
/// </summary>
internal sealed class ManifestFile
{
    private static readonly (byte[] Preamble, Encoding Encoding)[] s_encodings =
    {
        (new byte[] { 0xEF, 0xBB, 0xBF }, new UTF8Encoding(false, true)),
        (new byte[] { 0xFF, 0xFE }, new UnicodeEncoding(false, false, true)),
        (new byte[] { 0xFE, 0xFF }, new UnicodeEncoding(true, false, true)),
    };

    private readonly byte[] _preamble;
    private readonly Encoding _encoding;

    private ManifestFile(string path, byte[] preamble, Encoding encoding, string text)
    {
        Path = path;
        _preamble = preamble;
        _encoding = encoding;
        Text = text;
    }

    /// <summary>The path as the user gave it (after resolution), for messages and output.</summary>
    public string Path { get; }

    /// <summary>The decoded text, without the byte order mark.</summary>
    public string Text { get; }

    /// <summary>The file's line ending, for lines an edit inserts.</summary>
    public string NewLine => Text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";

    public static ManifestFile Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = InputFile.Exists(path, InputFile.ManifestMaxBytes, "manifest")
                ? File.ReadAllBytes(path)
                : throw DaprErrors.ManifestPathNotFound.Raise($"{path}: does not exist.", path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DaprErrors.ManifestUnreadable.Raise($"{path}: cannot be read: {e.Message}", path, e);
        }

        var (preamble, encoding) = s_encodings.FirstOrDefault(e => bytes.AsSpan().StartsWith(e.Preamble));
        preamble ??= Array.Empty<byte>();
        encoding ??= new UTF8Encoding(false, true);
        try
        {
            return new ManifestFile(path, preamble, encoding, encoding.GetString(bytes, preamble.Length, bytes.Length - preamble.Length));
        }
        catch (DecoderFallbackException e)
        {
            throw DaprErrors.ManifestUnreadable.Raise($"{path}: is not UTF-8 text.", path, e, "Save the file as UTF-8, the encoding Kubernetes manifests use.");
        }
    }

    /// <summary>
    /// Replaces the file with <paramref name="text"/> in the same encoding, unless the file changed on disk since it
    /// was read: then it throws <see cref="ManifestChangedException"/> and writes nothing, so the caller can redo its
    /// edit on the new content instead of overwriting someone else's.
    /// </summary>
    public void Replace(string text)
    {
        var target = new FileInfo(Path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? System.IO.Path.GetFullPath(Path);
        var temporary = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(target)!, $".{System.IO.Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(_preamble);
                stream.Write(_encoding.GetBytes(text));
                stream.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, File.GetUnixFileMode(target));
            }

            if (!IsUnchanged(File.ReadAllBytes(target)))
            {
                throw new ManifestChangedException(Path);
            }

            File.Replace(temporary, target, destinationBackupFileName: null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DaprErrors.ManifestWriteFailed.Raise($"{Path}: cannot be written: {e.Message}. The file was left unchanged.", Path, e);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// Whether <paramref name="bytes"/> are what was read. The bytes are not kept (an audit keeps every file it reads):
    /// the decoders are strict, so the text encodes back to exactly the bytes it was decoded from.
    /// </summary>
    private bool IsUnchanged(byte[] bytes)
        => bytes.AsSpan().StartsWith(_preamble) && bytes.AsSpan(_preamble.Length).SequenceEqual(_encoding.GetBytes(Text));
}

/// <summary>The file changed on disk between reading and writing it.</summary>
internal sealed class ManifestChangedException : Exception
{
    public ManifestChangedException(string path)
        : base($"{path} changed while it was being edited.")
    {
    }
}
