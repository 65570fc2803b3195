using System.Management.Automation;
using DaprSecurity.Abstractions;

namespace DaprSecurity.Commands;

/// <summary>
/// Base of cmdlets that work on the cluster or, with -Path, on manifest files. The cluster is connected on first
/// use only, so manifest work needs no kubeconfig (a CI agent checking a Git checkout has none).
/// </summary>
public abstract class DaprClusterOrManifestCmdlet : DaprClusterCmdlet
{
    private protected const string ClusterSet = "Cluster";
    private protected const string ManifestSet = "Manifest";

    private protected override void Begin()
    {
    }

    /// <summary>Resolves PowerShell paths (wildcards, relative to the current location) to file system paths; a path that matches nothing is an error for that path.</summary>
    private protected IReadOnlyList<string> ResolveManifestPaths(IEnumerable<string> paths)
    {
        var resolved = new List<string>();
        foreach (var path in paths)
        {
            try
            {
                var files = GetResolvedProviderPathFromPSPath(path, out var provider);
                if (provider.Name != "FileSystem")
                {
                    WriteError(DaprErrors.ManifestPathNotFound.Raise($"{path}: not a file system path.", path));
                    continue;
                }

                resolved.AddRange(files);
            }
            catch (ItemNotFoundException)
            {
                WriteError(DaprErrors.ManifestPathNotFound.Raise($"{path}: no such file or folder.", path));
            }
        }

        return resolved;
    }
}
