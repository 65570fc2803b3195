using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Manifests;

namespace DaprSecurity.Engine.Scopes;

/// <summary>
/// What the scope commands need from manifests: Components and Configurations whole, and of each workload only its
/// app. Workloads are reduced as they stream out of the reader, so a scan holds a fraction of what it parses (keeping
/// every parsed tree until the end cost more in garbage collection than the parsing itself).
/// </summary>
internal sealed class ManifestDaprObjects
{
    private ManifestDaprObjects()
    {
    }

    public List<ManifestObject> Components { get; } = new();

    public List<ManifestObject> Configurations { get; } = new();

    public List<DaprApp> Apps { get; } = new();

    /// <summary>App-ids by namespace; a namespace without any workload is not in it.</summary>
    public ILookup<string, string> AppIds => Apps.ToLookup(a => a.Namespace, a => a.AppId);

    public static ManifestDaprObjects Read(IReadOnlyList<string> paths, IEngineHost host)
    {
        var read = new ManifestDaprObjects();
        foreach (var obj in ManifestReader.Read(paths, host))
        {
            if (DaprResource.Component.Is(obj.ApiVersion, obj.Kind))
            {
                read.Components.Add(obj);
            }
            else if (DaprResource.Configuration.Is(obj.ApiVersion, obj.Kind))
            {
                read.Configurations.Add(obj);
            }
            else if (DaprApp.From(obj) is { } app)
            {
                read.Apps.Add(app);
            }
        }

        return read;
    }
}
