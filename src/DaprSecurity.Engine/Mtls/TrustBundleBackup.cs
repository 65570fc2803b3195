using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.IO;
using k8s;
using k8s.Models;

namespace DaprSecurity.Engine.Mtls;

/// <summary>A bundle read back from a recovery file, with when and from which context it was saved.</summary>
internal sealed record SavedTrustBundle(string Path, StoredTrustBundle Bundle, DateTime SavedAt, string Context);

/// <summary>
/// The recovery file: every key of the Secret and the ConfigMap dapr-trust-bundle as they were before a write, so that
/// an interrupted or regretted renewal can be put back (Update-DaprTrustBundle -RestoreFrom). It holds private keys:
/// it is written owner-only (0600, in a 0700 directory when the module creates it), never overwritten and never echoed;
/// only its path is shown. By default it goes to the per-user data directory (~/.local/share/DaprSecurity/trust-bundle-backups
/// on Linux, %LOCALAPPDATA%\DaprSecurity\trust-bundle-backups on Windows), named after the context, namespace and time.
/// </summary>
internal static class TrustBundleBackup
{
    private const string Kind = "DaprTrustBundleBackup";
    private const int Version = 1;
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    public static string DefaultDirectory
    {
        get
        {
            var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            return System.IO.Path.Combine(string.IsNullOrEmpty(data) ? System.IO.Path.GetTempPath() : data, "DaprSecurity", "trust-bundle-backups");
        }
    }

    /// <summary>Saves <paramref name="current"/> and returns the file's full path. <paramref name="requestedPath"/>: a file, an existing directory, or null for the default directory.</summary>
    public static string Save(StoredTrustBundle current, string contextName, string server, string? requestedPath, DateTime now)
    {
        var path = requestedPath is null || Directory.Exists(requestedPath)
            ? System.IO.Path.Combine(requestedPath ?? DefaultDirectory, FileName(contextName, current.Namespace, now))
            : System.IO.Path.GetFullPath(requestedPath);
        var document = new JsonObject
        {
            ["kind"] = Kind,
            ["version"] = Version,
            ["savedAt"] = now.ToString("O", CultureInfo.InvariantCulture),
            ["context"] = contextName,
            ["server"] = server,
            ["namespace"] = current.Namespace,
            ["secret"] = WithoutServerFields(current.Secret),
            ["configMap"] = WithoutServerFields(current.ConfigMap),
        };
        OwnerOnlyFile.Write(path, Encoding.UTF8.GetBytes(document.ToJsonString(s_indented)), overwrite: false);
        return path;
    }

    /// <summary>Reads and checks a recovery file: its kind, the two objects' names and namespace, and the three bundle keys.</summary>
    public static SavedTrustBundle Read(string path)
    {
        var text = CertificateFiles.ReadText(path);
        JsonObject document;
        try
        {
            document = JsonNode.Parse(text) as JsonObject ?? throw Invalid(path, "it is not a JSON object");
        }
        catch (JsonException)
        {
            throw Invalid(path, "it is not JSON");
        }

        if (Text(document, "kind") != Kind || document["version"] is not JsonValue version || !version.TryGetValue<int>(out var number) || number != Version)
        {
            throw Invalid(path, $"it is not a version {Version} {Kind} file written by Update-DaprTrustBundle");
        }

        var ns = Text(document, "namespace") ?? throw Invalid(path, "it names no namespace");
        var secret = Object<V1Secret>(document, "secret", path) ?? throw Invalid(path, "it holds no Secret");
        var configMap = Object<V1ConfigMap>(document, "configMap", path);
        foreach (var metadata in new[] { secret.Metadata, configMap?.Metadata })
        {
            if (metadata is not null && (metadata.Name != TrustBundleKeys.ObjectName || metadata.NamespaceProperty != ns))
            {
                throw Invalid(path, $"it holds {metadata.NamespaceProperty}/{metadata.Name} instead of {ns}/{TrustBundleKeys.ObjectName}");
            }
        }

        var bundle = new StoredTrustBundle(ns, secret, configMap);
        foreach (var key in new[] { TrustBundleKeys.RootCertificate, TrustBundleKeys.IssuerCertificate, TrustBundleKeys.IssuerKey })
        {
            if (string.IsNullOrWhiteSpace(bundle.SecretText(key)))
            {
                throw Invalid(path, $"its Secret has no {key}");
            }
        }

        var savedAt = DateTime.TryParse(Text(document, "savedAt"), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at) ? at : DateTime.MinValue;
        return new SavedTrustBundle(System.IO.Path.GetFullPath(path), bundle, savedAt, Text(document, "context") ?? "");
    }

    /// <summary>The newest recovery file in the default directory for this context and namespace, or null.</summary>
    public static string? FindLatest(string contextName, string ns)
    {
        var directory = DefaultDirectory;
        return Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, $"{Safe(contextName)}_{Safe(ns)}_*.json").Order(StringComparer.Ordinal).LastOrDefault()
            : null;
    }

    private static string FileName(string contextName, string ns, DateTime now)
        => $"{Safe(contextName)}_{Safe(ns)}_{now.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)}.json";

    /// <summary>Context names carry ':' and '/' (EKS ARNs, OpenShift); file names must not.</summary>
    private static string Safe(string name) => Regex.Replace(name, "[^A-Za-z0-9._-]", "-");

    private static JsonNode? WithoutServerFields<T>(T? value)
        where T : class, IMetadata<V1ObjectMeta>
    {
        if (value is null)
        {
            return null;
        }

        var node = JsonNode.Parse(KubernetesJson.Serialize(value))!;
        if (node["metadata"] is JsonObject metadata)
        {
            foreach (var field in new[] { "resourceVersion", "uid", "creationTimestamp", "managedFields", "generation", "selfLink" })
            {
                metadata.Remove(field);
            }
        }

        return node;
    }

    private static T? Object<T>(JsonObject document, string property, string path)
        where T : class
    {
        if (document[property] is not JsonObject node)
        {
            return null;
        }

        try
        {
            return KubernetesJson.Deserialize<T>(node.ToJsonString());
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw Invalid(path, $"its {property} does not parse");
        }
    }

    private static string? Text(JsonObject document, string property)
        => document[property] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static DaprSecurityException Invalid(string path, string why)
        => DaprErrors.TrustBundleBackupInvalid.Raise($"{path} cannot be restored: {why}. Nothing was written.", path);
}
