using System.Text.Json.Nodes;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Audit.Model;
using DaprSecurity.Engine.Concurrency;
using DaprSecurity.Engine.Manifests;
using DaprSecurity.Engine.Text;
using DaprSecurity.Engine.Tokens;
using DaprSecurity.Engine.Workloads;
using k8s;
using k8s.Models;

namespace DaprSecurity.Engine.Audit.Reading;

/// <summary>
/// Reads manifest files and folders (YAML and JSON, multi-document, kind: List) into an audit snapshot, parsing files
/// in parallel. Secrets keep only their names and key names. Templates (a file holding "{{") are skipped with the
/// reason, unreadable files and objects are errors, and in folders, files without "apiVersion" are ignored (CI
/// pipelines, package.json).
/// </summary>
internal static class ManifestAuditReader
{
    private static readonly string[] s_extensions = { ".yaml", ".yml", ".json" };

    public static (AuditSnapshot Snapshot, IReadOnlyList<ReadProblem> Problems, string Root) Read(IReadOnlyList<string> paths, IEngineHost host, CancellationToken cancellationToken)
    {
        var root = Root(paths);
        var problems = new List<ReadProblem>();
        var files = new List<(string Path, bool Named)>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                files.Add((Path.GetFullPath(path), true));
            }
            else if (Directory.Exists(path))
            {
                files.AddRange(ManifestFolder.Files(new DirectoryInfo(Path.GetFullPath(path)), s_extensions, host).Select(f => (f, false)));
            }
            else
            {
                problems.Add(Problem(Relative(root, path), DaprErrors.ManifestPathNotFound.Raise($"{path}: no such file or folder.", path)));
            }
        }

        var distinct = files.Distinct().Select(f => (f.Path, Relative: Relative(root, f.Path), f.Named)).ToList();
        var progress = new ProgressReporter(host, ManifestReader.Activity, distinct.Count);
        var read = new List<(IReadOnlyList<object> Objects, IReadOnlyList<ReadProblem> Problems)>(distinct.Count);
        foreach (var file in distinct.AsParallel().AsOrdered().WithCancellation(cancellationToken).Select(f => ReadFile(f.Path, f.Relative, f.Named)))
        {
            progress.Advance(distinct[read.Count].Relative);
            read.Add(file);
        }

        progress.Complete();
        problems.AddRange(read.SelectMany(r => r.Problems));
        var objects = read.SelectMany(r => r.Objects).ToList();
        var snapshot = new AuditSnapshot
        {
            Now = host.Clock.GetUtcNow(),
            Workloads = objects.OfType<AuditWorkload>().ToList(),
            Components = objects.OfType<AuditDocument>().Where(d => d.Resource.Kind == "Component").ToList(),
            Configurations = objects.OfType<AuditDocument>().Where(d => d.Resource.Kind == "Configuration").ToList(),
            Services = objects.OfType<(AuditResource, V1Service)>().ToList(),
            Ingresses = objects.OfType<(AuditResource, V1Ingress)>().ToList(),
            Secrets = objects.OfType<AuditSecret>().ToList(),
        };
        if (objects.Count == 0 && !problems.Any(p => p.Error is not null))
        {
            problems.Add(Problem("", DaprErrors.AuditNothingSelected.Raise($"No Kubernetes manifest was found in {string.Join(", ", paths)}.", string.Join(", ", paths), recommendedAction: "Point -Path at YAML or JSON manifests (*.yaml, *.yml, *.json); render Helm charts and kustomize overlays first.")));
        }

        return (snapshot, problems, root);
    }

    /// <summary>The folder relative paths start from: the folder given, or the common folder of everything given.</summary>
    public static string Root(IReadOnlyList<string> paths)
    {
        var folders = paths.Select(p => Path.GetFullPath(Directory.Exists(p) ? p : Path.GetDirectoryName(Path.GetFullPath(p)) ?? p)).ToList();
        if (folders.Count == 0)
        {
            return Directory.GetCurrentDirectory();
        }

        var common = folders[0];
        while (!folders.All(f => f == common || f.StartsWith(common.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
        {
            common = Path.GetDirectoryName(common) ?? common;
        }

        return common;
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, Path.GetFullPath(path)).Replace('\\', '/');

    private static (IReadOnlyList<object> Objects, IReadOnlyList<ReadProblem> Problems) ReadFile(string path, string relative, bool named)
    {
        var problems = new List<ReadProblem>();
        var objects = new List<object>();
        try
        {
            var file = ManifestFile.Read(path);
            if (!named && !file.Text.Contains("apiVersion", StringComparison.Ordinal))
            {
                return (objects, problems);
            }

            if (file.Text.Contains("{{", StringComparison.Ordinal))
            {
                problems.Add(new ReadProblem(new AuditResource("File", "", relative) { Source = null }, null, $"{relative} holds template syntax ({{{{ ... }}}}), which is not rendered: render it first (helm template, kustomize build) and scan the output."));
                return (objects, problems);
            }

            foreach (var document in ManifestParser.Parse(file.Text, relative))
            {
                foreach (var (item, node, prefix) in Items(document, relative))
                {
                    var location = new ManifestLocation(relative, document) { Prefix = prefix };
                    try
                    {
                        if ((item is null ? ToTypedObject(node.ScalarText("apiVersion")!, node.ScalarText("kind")!, node, location, json: null) : ToAuditObject(item, node, location)) is { } obj)
                        {
                            objects.Add(obj);
                        }
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        var line = node.Line;
                        var (kind, name) = item is null ? (node.ScalarText("kind"), node.ScalarText("metadata", "name")) : (JsonText.Of(item, "kind"), JsonText.Of(item, "metadata", "name"));
                        problems.Add(Problem(relative, DaprErrors.AuditObjectInvalid.Raise($"{relative}:{line}: {kind} '{name}' cannot be read: {e.Message}", $"{relative}:{line}", e), line));
                    }
                }
            }
        }
        catch (DaprSecurityException e)
        {
            problems.Add(Problem(relative, e, e.InnerException is YamlDotNet.Core.YamlException yaml ? (int)yaml.Start.Line : 0));
        }

        return (objects, problems);
    }

    /// <summary>
    /// The objects of a document (the items of a kind: List), each with its JSON view; without one (null) for a
    /// document whose tree names a model type plainly (see <see cref="IsPlainlyTyped"/>).
    /// </summary>
    private static IEnumerable<(JsonObject? Json, ManifestNode Node, string[] Prefix)> Items(ManifestDocument document, string relative)
    {
        if (IsPlainlyTyped(document))
        {
            return new[] { ((JsonObject?)null, document.Root!, Array.Empty<string>()) };
        }

        if (ManifestJson.KubernetesObject(document, relative) is not { } json)
        {
            return Array.Empty<(JsonObject?, ManifestNode, string[])>();
        }

        var items = JsonText.Of(json, "kind") == "List" && json["items"] is JsonArray list
            ? list.Select((item, i) => (Json: item as JsonObject, Node: document.Root?.Entry("items")?.Value.Item(i), Prefix: new[] { "items", $"[{i}]" }))
            : new[] { (Json: (JsonObject?)json, Node: document.Root, Prefix: Array.Empty<string>()) };
        return items.Where(i => i.Json is not null && i.Node is not null).Select(i => (i.Json, i.Node!, i.Prefix));
    }

    /// <summary>
    /// A workload, Service or Ingress whose kind and apiVersion are plain text, in a document that reads as its JSON
    /// view (<see cref="ManifestDocument.ReadsAsJson"/>): its model type is read from the tree's JSON text, no JSON
    /// tree made (most of a scan's documents, and most of its garbage).
    /// </summary>
    private static bool IsPlainlyTyped(ManifestDocument document)
        => document.ReadsAsJson && document.Root is { Kind: ManifestNodeKind.Mapping } root
            && (root.ScalarText("apiVersion"), root.ScalarText("kind")) is ("apps/v1", "Deployment" or "StatefulSet" or "DaemonSet") or ("v1", "Pod" or "Service") or ("networking.k8s.io/v1", "Ingress");

    /// <summary>The audit's view of one object; null for kinds the audit does not look at.</summary>
    private static object? ToAuditObject(JsonObject json, ManifestNode node, ManifestLocation location)
    {
        var apiVersion = JsonText.Of(json, "apiVersion") ?? "";
        var kind = JsonText.Of(json, "kind") ?? "";
        if (apiVersion.StartsWith("dapr.io/", StringComparison.Ordinal))
        {
            return kind is "Component" or "Configuration"
                ? new AuditDocument(AuditWorkload.ResourceOf(kind, new V1ObjectMeta { Name = JsonText.Of(json, "metadata", "name"), NamespaceProperty = JsonText.Of(json, "metadata", "namespace"), Annotations = Annotations(json) }, location), json)
                : null;
        }

        if (kind == "Secret" && apiVersion == "v1")
        {
            var keys = new[] { "data", "stringData" }.SelectMany(k => (json[k] as JsonObject)?.Select(p => p.Key) ?? Enumerable.Empty<string>()).ToHashSet(StringComparer.Ordinal);
            var metadata = new V1ObjectMeta { Name = JsonText.Of(json, "metadata", "name"), NamespaceProperty = JsonText.Of(json, "metadata", "namespace"), Annotations = Annotations(json) };
            return new AuditSecret(AuditWorkload.ResourceOf(kind, metadata, location), keys, null, null);
        }

        return ToTypedObject(apiVersion, kind, node, location, json);
    }

    /// <summary>A workload, Service or Ingress read as its model type: from <paramref name="json"/>, or from the tree when that is null.</summary>
    private static object? ToTypedObject(string apiVersion, string kind, ManifestNode node, ManifestLocation location, JsonObject? json)
    {
        T As<T>() => json is null ? ManifestTypes.As<T>(node) : ManifestTypes.As<T>((JsonObject)ManifestJson.AsObjectReaderSees(location.Document, node, json, location.RelativePath)!);
        switch (kind)
        {
            case "Deployment" when apiVersion == "apps/v1":
                var deployment = As<V1Deployment>();
                return AuditWorkload.From(Workload.From(Defaults(deployment.Spec.Template, deployment)), location);
            case "StatefulSet" when apiVersion == "apps/v1":
                var statefulSet = As<V1StatefulSet>();
                return AuditWorkload.From(Workload.From(Defaults(statefulSet.Spec.Template, statefulSet)), location);
            case "DaemonSet" when apiVersion == "apps/v1":
                var daemonSet = As<V1DaemonSet>();
                return AuditWorkload.From(Workload.From(Defaults(daemonSet.Spec.Template, daemonSet)), location);
            case "Pod" when apiVersion == "v1":
                return AuditWorkload.From(As<V1Pod>(), location);
            case "Service" when apiVersion == "v1":
                var service = As<V1Service>();
                return (AuditWorkload.ResourceOf(kind, service.Metadata, location), service);
            case "Ingress" when apiVersion == "networking.k8s.io/v1":
                var ingress = As<V1Ingress>();
                return (AuditWorkload.ResourceOf(kind, ingress.Metadata, location), ingress);
            default:
                return null;
        }
    }

    /// <summary>Workload.From expects what the API server fills in: a template and metadata.</summary>
    private static T Defaults<T>(V1PodTemplateSpec? template, T workload)
        where T : IMetadata<V1ObjectMeta>
    {
        workload.Metadata ??= new V1ObjectMeta();
        return template is null ? throw new InvalidDataException("it has no spec.template") : workload;
    }

    private static Dictionary<string, string>? Annotations(JsonObject json)
        => (JsonText.At(json, "metadata", "annotations") as JsonObject)?.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => JsonText.Of(p.Value) ?? "", StringComparer.Ordinal);

    private static ReadProblem Problem(string relative, DaprSecurityException error, int line = 0)
        => new(new AuditResource("File", "", relative), error) { Line = line };
}
