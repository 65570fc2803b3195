using System.Globalization;
using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Resources;

namespace DaprSecurity.KubeApiServer.Tables;

/// <summary>One Table column: its definition and how to compute the cell from an object.</summary>
internal sealed record PrinterColumn(string Name, string Type, Func<JsonObject, DateTimeOffset, JsonNode?> Cell, string Format = "");

/// <summary>The default <c>kubectl get</c> columns of the real apiserver for the kinds served here; other kinds get Name and Age.</summary>
internal static class PrinterColumns
{
    private static readonly PrinterColumn Name = new("Name", "string", (o, _) => o.Name(), "name");
    private static readonly PrinterColumn Age = new("Age", "string", (o, now) => HumanAge(o.Text("metadata", "creationTimestamp"), now));

    public static IReadOnlyList<PrinterColumn> For(ResourceType type)
    {
        if (type == ResourceRegistry.Namespaces)
        {
            return [Name, Text("Status", "status", "phase"), Age];
        }
        if (type == ResourceRegistry.Secrets)
        {
            return [Name, Text("Type", "type"), Count("Data", "data"), Age];
        }
        if (type == ResourceRegistry.ConfigMaps)
        {
            return [Name, Count("Data", "data"), Age];
        }
        if (type == ResourceRegistry.Pods)
        {
            return [Name, new("Ready", "string", (o, _) => PodReady(o)), new("Status", "string", (o, _) => PodStatus(o)),
                new("Restarts", "integer", (o, _) => PodRestarts(o)), Age];
        }
        if (type == ResourceRegistry.Deployments)
        {
            return [Name, Ratio("Ready", "readyReplicas", "replicas"), Int("Up-to-date", "status", "updatedReplicas"),
                Int("Available", "status", "availableReplicas"), Age];
        }
        if (type == ResourceRegistry.StatefulSets)
        {
            return [Name, Ratio("Ready", "readyReplicas", "replicas"), Age];
        }
        if (type == ResourceRegistry.DaemonSets)
        {
            return [Name, Int("Desired", "status", "desiredNumberScheduled"), Int("Current", "status", "currentNumberScheduled"),
                Int("Ready", "status", "numberReady"), Int("Up-to-date", "status", "updatedNumberScheduled"),
                Int("Available", "status", "numberAvailable"), Age];
        }
        if (type == ResourceRegistry.ReplicaSets)
        {
            return [Name, Int("Desired", "spec", "replicas"), Int("Current", "status", "replicas"), Int("Ready", "status", "readyReplicas"), Age];
        }
        if (type == ResourceRegistry.Services)
        {
            return [Name, Text("Type", "spec", "type"), Age];
        }
        return [Name, Age];
    }

    /// <summary>kubectl's <c>duration.HumanDuration</c>: 45s, 3m12s, 5h, 2d3h, 400d.</summary>
    public static string HumanAge(string? timestamp, DateTimeOffset now)
    {
        if (!DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created))
        {
            return "<unknown>";
        }
        var age = now - created;
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }
        return age.TotalSeconds switch
        {
            < 120 => $"{(int)age.TotalSeconds}s",
            < 600 => age.Seconds == 0 ? $"{(int)age.TotalMinutes}m" : $"{(int)age.TotalMinutes}m{age.Seconds}s",
            < 3 * 3600 => $"{(int)age.TotalMinutes}m",
            < 8 * 3600 => age.Minutes == 0 ? $"{(int)age.TotalHours}h" : $"{(int)age.TotalHours}h{age.Minutes}m",
            < 48 * 3600 => $"{(int)age.TotalHours}h",
            < 8 * 86400 => age.Hours == 0 ? $"{(int)age.TotalDays}d" : $"{(int)age.TotalDays}d{age.Hours}h",
            _ => $"{(int)age.TotalDays}d",
        };
    }

    private static PrinterColumn Text(string name, params string[] path) => new(name, "string", (o, _) => o.Text(path) ?? "");

    private static PrinterColumn Int(string name, params string[] path) => new(name, "integer", (o, _) => o.Number(path) ?? 0);

    private static PrinterColumn Count(string name, string field) =>
        new(name, "integer", (o, _) => (o[field] as JsonObject)?.Count ?? 0);

    private static PrinterColumn Ratio(string name, string readyField, string totalField) =>
        new(name, "string", (o, _) => $"{o.Number("status", readyField) ?? 0}/{o.Number("spec", totalField) ?? 0}");

    private static string PodReady(JsonObject pod)
    {
        var statuses = (pod["status"]?["containerStatuses"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var total = (pod["spec"]?["containers"] as JsonArray)?.Count ?? 0;
        return $"{statuses.Count(s => s.Flag("ready"))}/{total}";
    }

    private static long PodRestarts(JsonObject pod) =>
        (pod["status"]?["containerStatuses"] as JsonArray)?.Sum(s => s.Number("restartCount") ?? 0) ?? 0;

    /// <summary>The waiting reason of the first waiting container (e.g. CreateContainerConfigError), else the phase.</summary>
    private static string PodStatus(JsonObject pod)
    {
        var waiting = (pod["status"]?["containerStatuses"] as JsonArray)?
            .Select(s => s.Text("state", "waiting", "reason"))
            .FirstOrDefault(reason => reason is not null);
        return waiting ?? pod.Text("status", "phase") ?? "Pending";
    }
}
