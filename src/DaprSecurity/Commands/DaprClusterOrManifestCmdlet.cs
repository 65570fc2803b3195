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

    private readonly PipelineBatches<string, string> _manifestPaths = new();

    private protected override void Begin() => RememberCommandLine();

    /// <summary>The files and folders <see cref="CollectManifestPaths"/> collected from every pipeline object, each once.</summary>
    private protected IReadOnlyList<string> CollectedManifestPaths => _manifestPaths.All.SelectMany(b => b.Items).ToList();

    /// <summary>Null (every namespace, as the engine reads it) when the patterns include "*".</summary>
    private protected static IReadOnlyList<string>? AllOrNamed(IReadOnlyList<string> namespaces) => namespaces.Contains("*") ? null : namespaces;

    /// <summary>Collects the files of <paramref name="paths"/> (resolved as <see cref="ResolveManifestPaths"/> does), so piped files are read together at the end.</summary>
    private protected void CollectManifestPaths(IEnumerable<string> paths) => _manifestPaths.Add(ManifestSet, ResolveManifestPaths(paths));

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
