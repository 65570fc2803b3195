using DaprSecurity.Abstractions;
using DaprSecurity.Engine.IO;

namespace DaprSecurity.Engine.Kubernetes;

/// <summary>Decides which kubeconfig files to read, the way kubectl does.</summary>
internal static class KubeConfigFiles
{
    /// <summary>
    /// An explicit path must exist. Otherwise every existing file listed in KUBECONFIG (missing and empty entries
    /// are skipped, as kubectl does), else ~/.kube/config. Returns an empty list when none applies (in-cluster).
    /// </summary>
    public static IReadOnlyList<FileInfo> Resolve(string? explicitPath)
    {
        if (explicitPath is not null)
        {
            var file = new FileInfo(explicitPath);
            return IsReadable(file)
                ? new[] { file }
                : throw DaprErrors.KubeConfigNotFound.Raise($"The kubeconfig file '{file.FullName}' does not exist.", file.FullName);
        }

        var variable = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrWhiteSpace(variable))
        {
            var listed = variable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(p => new FileInfo(p))
                .ToList();
            var existing = listed.Where(IsReadable).ToList();
            return existing.Count > 0
                ? existing
                : throw DaprErrors.KubeConfigNotFound.Raise($"None of the files in KUBECONFIG exist: {string.Join(", ", listed.Select(f => f.FullName))}.", variable);
        }

        var home = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var defaultFile = new FileInfo(Path.Combine(home, ".kube", "config"));
        return IsReadable(defaultFile) ? new[] { defaultFile } : Array.Empty<FileInfo>();
    }

    /// <summary>False when missing; a directory, device or oversized file is an error of its own.</summary>
    private static bool IsReadable(FileInfo file) => InputFile.Exists(file.FullName, InputFile.KubeConfigMaxBytes, "kubeconfig");
}
