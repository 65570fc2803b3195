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
        var fullPath = Path.GetFullPath(path);

        // On Unix one stat(2) answers "exists?", "directory?", "regular?" and "how large?" (a scan checks thousands of files).
        if (!OperatingSystem.IsWindows() && Stat(fullPath, out var status) == 0)
        {
            return Check(fullPath, status.Mode & TypeMask, status.Size, maxBytes, what);
        }

        var file = new FileInfo(fullPath);
        return Directory.Exists(fullPath) ? Check(fullPath, DirectoryType, 0, maxBytes, what) : file.Exists && Check(fullPath, RegularFile, file.Length, maxBytes, what);
    }

    private static bool Check(string fullPath, int type, long length, long maxBytes, string what)
    {
        if (type == DirectoryType)
        {
            throw DaprErrors.InputPathIsDirectory.Raise($"The {what} path {fullPath} is a directory; give the path of a file.", fullPath);
        }

        if (type != RegularFile)
        {
            throw DaprErrors.InputPathNotRegularFile.Raise($"The {what} path {fullPath} is a {Describe(type)}, not a regular file; nothing was read from or written to it.", fullPath);
        }

        if (length > maxBytes)
        {
            throw DaprErrors.InputFileTooLarge.Raise($"The {what} file {fullPath} is {length:N0} bytes; at most {maxBytes:N0} bytes are read for a {what}.", fullPath);
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

    // CA2101 asks for CharSet, which does not apply: the parameter is marshalled as UTF-8 explicitly (LPUTF8Str).
#pragma warning disable CA2101
    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, out FileStatus status);
#pragma warning restore CA2101

    /// <summary>
    /// The head of the runtime's FileStatus: flags, the mode with the portable S_IF* type bits, owner, then the size;
    /// the struct's Size leaves room for the rest. Blittable, so a call copies no array.
    /// </summary>
    [StructLayout(LayoutKind.Sequential, Size = 264)]
    private struct FileStatus
    {
        public int Flags;
        public int Mode;
        public uint Uid;
        public uint Gid;
        public long Size;
    }
}
