using System.Runtime.InteropServices;
using DaprSecurity.Abstractions;

namespace DaprSecurity.Engine.IO;

/// <summary>
/// The one check every file input passes before a byte is read: it must be a regular file (not a directory, a
/// device such as /dev/zero, a FIFO or a socket) no larger than the cap for its kind, so a wrong path is a clear
/// error instead of a hang or an out-of-memory read.
/// </summary>
internal static class InputFile
{
    public const long PemMaxBytes = 1L << 20;
    public const long KubeConfigMaxBytes = 16L << 20;
    public const long ManifestMaxBytes = 64L << 20;

    /// <summary>False when nothing is at <paramref name="path"/>; throws when something is there but must not be read.</summary>
    /// <param name="what">What the file is for, in the error message ("kubeconfig", "certificate").</param>
    public static bool Exists(string path, long maxBytes, string what)
    {
        var file = new FileInfo(path);

        // On Unix one stat(2) answers "directory?", "exists?" and "regular?" (a scan checks thousands of files).
        var type = OperatingSystem.IsWindows() ? null : UnixFileType(file.FullName);
        if (type == DirectoryType || (type is null && Directory.Exists(path)))
        {
            throw DaprErrors.InputPathIsDirectory.Raise($"The {what} path {file.FullName} is a directory; give the path of a file.", file.FullName);
        }

        if (!file.Exists)
        {
            return false;
        }

        if (type is { } special and not RegularFile)
        {
            throw DaprErrors.InputPathNotRegularFile.Raise($"The {what} path {file.FullName} is a {Describe(special)}, not a regular file; nothing was read from or written to it.", file.FullName);
        }

        if (file.Length > maxBytes)
        {
            throw DaprErrors.InputFileTooLarge.Raise($"The {what} file {file.FullName} is {file.Length:N0} bytes; at most {maxBytes:N0} bytes are read for a {what}.", file.FullName);
        }

        return true;
    }

    private const int TypeMask = 0xF000;
    private const int RegularFile = 0x8000;
    private const int DirectoryType = 0x4000;

    private static string Describe(int type) => type switch
    {
        0x1000 => "FIFO (named pipe)",
        0x2000 => "character device",
        0x6000 => "block device",
        0xC000 => "socket",
        _ => "special file",
    };

    /// <summary>The S_IFMT bits of stat(2), through the runtime's own portable native shim (the same call File.Exists makes).</summary>
    private static int? UnixFileType(string path)
        => Stat(path, out var status) == 0 ? status.Mode & TypeMask : null;

    // CA2101 asks for CharSet, which does not apply: the parameter is marshalled as UTF-8 explicitly (LPUTF8Str).
#pragma warning disable CA2101
    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, out FileStatus status);
#pragma warning restore CA2101

    /// <summary>
    /// The head of the runtime's FileStatus: flags, then the mode with the portable S_IF* type bits; Size leaves room for
    /// the rest. Blittable, so a call copies no array.
    /// </summary>
    [StructLayout(LayoutKind.Sequential, Size = 264)]
    private struct FileStatus
    {
        public int Flags;
        public int Mode;
    }
}
