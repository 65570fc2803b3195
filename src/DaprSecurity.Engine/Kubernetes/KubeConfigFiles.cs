using DaprSecurity.Abstractions;

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
            return file.Exists
                ? new[] { file }
                : throw DaprErrors.KubeConfigNotFound.Raise($"The kubeconfig file '{file.FullName}' does not exist.", file.FullName);
        }

        var variable = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrWhiteSpace(variable))
        {
            var listed = variable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(p => new FileInfo(p))
                .ToList();
            var existing = listed.Where(f => f.Exists).ToList();
            return existing.Count > 0
                ? existing
                : throw DaprErrors.KubeConfigNotFound.Raise($"None of the files in KUBECONFIG exist: {string.Join(", ", listed.Select(f => f.FullName))}.", variable);
        }

        var home = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var defaultFile = new FileInfo(Path.Combine(home, ".kube", "config"));
        return defaultFile.Exists ? new[] { defaultFile } : Array.Empty<FileInfo>();
    }
}
