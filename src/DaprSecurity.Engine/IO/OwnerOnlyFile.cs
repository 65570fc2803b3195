using System.Runtime.Versioning;
using System.Security.AccessControl;
using System.Security.Principal;
using DaprSecurity.Abstractions;

namespace DaprSecurity.Engine.IO;

/// <summary>
/// Writes files that only their owner may read (mode 0600 on Linux and macOS, an owner-only ACL on Windows). The
/// protection is set when the file is created, before any byte is written, and the content goes to a temporary file
/// in the same directory that is then renamed into place, so a reader never sees a partly written key. Directories
/// it has to create are owner-only too (0700 whatever the umask, or an owner-only ACL); existing ones are left as they are.
/// </summary>
internal static class OwnerOnlyFile
{
    public static void Write(string path, byte[] content, bool overwrite)
    {
        var target = Path.GetFullPath(path);
        try
        {
            CreateDirectories(Path.GetDirectoryName(target)!);
            AtomicFile.Write(target, stream => stream.Write(content), overwrite, Create);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw File.Exists(target) && !overwrite
                ? DaprErrors.FileExists.Raise($"{target} already exists; use -Force to overwrite it.", target, e)
                : DaprErrors.FileWriteFailed.Raise($"Cannot write {target}: {e.Message}", target, e);
        }
    }

    /// <summary>Creates <paramref name="directory"/> and its missing parents, each owner-only from the start.</summary>
    private static void CreateDirectories(string directory)
    {
        var missing = new Stack<string>();
        for (var current = directory; !string.IsNullOrEmpty(current) && !Directory.Exists(current); current = Path.GetDirectoryName(current))
        {
            missing.Push(current);
        }

        foreach (var path in missing)
        {
            if (OperatingSystem.IsWindows())
            {
                CreateDirectoryWithOwnerOnlyAcl(path);
            }
            else
            {
                // mkdir applies the umask, which can only take bits away from 0700.
                Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }

    [SupportedOSPlatform("windows")]
    private static void CreateDirectoryWithOwnerOnlyAcl(string path)
    {
        var security = new DirectorySecurity();
        security.SetAccessRuleProtection(isProtected: true, preserveInheritance: false);
        security.AddAccessRule(new FileSystemAccessRule(WindowsIdentity.GetCurrent().User!, FileSystemRights.FullControl, InheritanceFlags.ContainerInherit | InheritanceFlags.ObjectInherit, PropagationFlags.None, AccessControlType.Allow));
        new DirectoryInfo(path).Create(security);
    }

    private static FileStream Create(string path) => OperatingSystem.IsWindows()
        ? CreateWithOwnerOnlyAcl(path)
        : new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });

    [SupportedOSPlatform("windows")]
    private static FileStream CreateWithOwnerOnlyAcl(string path)
    {
        var security = new FileSecurity();
        security.SetAccessRuleProtection(isProtected: true, preserveInheritance: false);
        security.AddAccessRule(new FileSystemAccessRule(WindowsIdentity.GetCurrent().User!, FileSystemRights.FullControl, AccessControlType.Allow));
        return new FileInfo(path).Create(FileMode.CreateNew, FileSystemRights.FullControl, FileShare.None, 4096, FileOptions.None, security);
    }
}
