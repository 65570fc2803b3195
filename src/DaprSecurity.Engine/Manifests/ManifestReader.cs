using System.Text.Json.Nodes;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Concurrency;

namespace DaprSecurity.Engine.Manifests;

/// <summary>
/// Reads the Kubernetes objects in manifest files and folders. Folders are searched recursively for *.yaml and
/// *.yml (hidden folders such as .git skipped). Problems are reported per file or per document and never stop the
/// others: a missing path, an unreadable or malformed file, a Dapr document with a key defined twice.
/// </summary>
internal static class ManifestReader
{
    /// <summary>The progress activity of every manifest scan.</summary>
    public const string Activity = "Reading manifests";

    private static readonly string[] s_extensions = { ".yaml", ".yml" };

    public static IEnumerable<ManifestObject> Read(IReadOnlyList<string> paths, IEngineHost host)
    {
        // Reading and parsing, the costly part, runs on every core; what a file means (and its messages) follows in file order.
        var files = Files(paths, host).ToList();
        var progress = new ProgressReporter(host, Activity, files.Count(f => f.Named is not null));
        var parsed = files
            .AsParallel().AsOrdered()
            .WithCancellation(host.CancellationToken)
            .Select(f => f.Named is null ? (f.Path, null, null, NotFound(f.Path), false) : Parse(f.Path, f.Named.Value));
        foreach (var (path, file, documents, failure, skippable) in parsed)
        {
            host.CancellationToken.ThrowIfCancellationRequested();
            if (failure is null || !failure.Is(DaprErrors.ManifestPathNotFound))
            {
                progress.Advance(path);
            }

            IReadOnlyList<ManifestObject> objects;
            try
            {
                objects = failure is null ? Objects(file!, documents!, host) : throw failure;
            }
            catch (DaprSecurityException e) when (skippable && e.Is(DaprErrors.ManifestInvalidYaml))
            {
                host.WriteVerbose($"Skipped {e.Message}");
                continue;
            }
            catch (DaprSecurityException e)
            {
                host.WriteError(e);
                continue;
            }

            foreach (var obj in objects)
            {
                yield return obj;
            }
        }

        progress.Complete();
    }

    /// <summary>
    /// One file read and parsed, or why not. Skippable: a file from a folder that does not mention Dapr, whose invalid
    /// YAML is skipped with a verbose message rather than an error.
    /// </summary>
    private static (string Path, ManifestFile? File, IReadOnlyList<ManifestDocument>? Documents, DaprSecurityException? Failure, bool Skippable) Parse(string path, bool named)
    {
        ManifestFile? file = null;
        try
        {
            file = ManifestFile.Read(path);
            return (path, file, ManifestParser.Parse(file.Text, file.Path), null, Skippable(file, named));
        }
        catch (DaprSecurityException e)
        {
            return (path, file, null, e, file is not null && Skippable(file, named));
        }
    }

    private static DaprSecurityException NotFound(string path) => DaprErrors.ManifestPathNotFound.Raise($"{path}: no such file or folder.", path);

    /// <summary>The objects of one file; documents that are not Kubernetes objects are skipped, Dapr documents with duplicate keys are errors.</summary>
    private static IReadOnlyList<ManifestObject> Objects(ManifestFile file, IReadOnlyList<ManifestDocument> documents, IEngineHost host)
    {
        var objects = new List<ManifestObject>();
        foreach (var document in documents)
        {
            if (ManifestObject.Of(file, documents, document) is not { } obj)
            {
                host.WriteDebug($"{file.Path}:{document.Line}: skipped a document that is not a Kubernetes object.");
                continue;
            }

            if (document.Duplicates.Count > 0)
            {
                var duplicate = document.Duplicates[0];
                var error = DaprErrors.ManifestDuplicateKey.Raise($"{file.Path}:{duplicate.Line}: {obj.Kind} '{obj.Name}' defines '{duplicate.Path}' twice; Kubernetes rejects such a document, so it was skipped.",
                    $"{file.Path}:{duplicate.Line}",
                    recommendedAction: "Remove one of the two keys.");
                if (IsDapr(obj))
                {
                    host.WriteError(error);
                }
                else
                {
                    host.WriteVerbose(error.Message);
                }

                continue;
            }

            objects.Add(obj);
        }

        return objects;
    }

    public static bool IsDapr(ManifestObject obj) => obj.ApiVersion.StartsWith("dapr.io/", StringComparison.Ordinal);

    /// <summary>The files to read, in order: Named is true for a file given by name, false for one found in a folder, null for a path that is neither.</summary>
    private static IEnumerable<(string Path, bool? Named)> Files(IReadOnlyList<string> paths, IEngineHost host)
    {
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                yield return (path, true);
            }
            else if (Directory.Exists(path))
            {
                foreach (var file in ManifestFolder.Files(new DirectoryInfo(path), s_extensions, host))
                {
                    yield return (file, (bool?)false);
                }
            }
            else
            {
                yield return (path, null);
            }
        }
    }

    /// <summary>A folder holds all sorts of YAML (CI pipelines, Helm templates); only files that mention Dapr must parse.</summary>
    private static bool Skippable(ManifestFile file, bool named) => !named && !file.Text.Contains("dapr.io", StringComparison.Ordinal);
}
