using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using Json.Schema;

namespace DaprSecurity.Engine.Tests.Infrastructure;

/// <summary>
/// The official SARIF 2.1.0 JSON schema, as shipped in the npm package @microsoft/sarif-multitool-linux: fetched
/// with <c>npm pack</c> into a cache folder under the test output on first use (never committed). When it cannot be
/// had, using it throws, so a schema test fails rather than passes without checking.
/// </summary>
public static class SarifSchema
{
    private const string Package = "@microsoft/sarif-multitool-linux@5.7.0";
    private const string SchemaEntry = "package/sarif-2.1.0.json";

    private static readonly Lazy<JsonSchema> Schema = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Strict evaluation (formats asserted, every error listed) of <paramref name="sarif"/>; empty when valid.</summary>
    public static IReadOnlyList<string> Errors(string sarif)
    {
        using var document = JsonDocument.Parse(sarif);
        var results = Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (results.IsValid)
        {
            return [];
        }

        return (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key}: {e.Value}"))
            .DefaultIfEmpty("invalid, without details")
            .ToList();
    }

    private static JsonSchema Load()
    {
        var cache = Path.Combine(AppContext.BaseDirectory, "tool-cache", "sarif");
        var schemaFile = Path.Combine(cache, "sarif-2.1.0.json");
        if (!File.Exists(schemaFile))
        {
            Directory.CreateDirectory(cache);
            var (code, output, error) = ExternalCommand.Run("npm", ["pack", Package, "--pack-destination", cache, "--silent"], TimeSpan.FromMinutes(5), cache);
            var tarball = Directory.EnumerateFiles(cache, "*.tgz").FirstOrDefault()
                ?? throw new InvalidOperationException($"npm pack {Package} failed (exit {code}): {output}{error}");
            Extract(tarball, schemaFile);
            File.Delete(tarball);
        }

        return JsonSchema.FromFile(schemaFile);
    }

    private static void Extract(string tarball, string schemaFile)
    {
        using var gzip = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.Name == SchemaEntry && entry.DataStream is not null)
            {
                var partial = schemaFile + ".partial";
                using (var file = File.Create(partial))
                {
                    entry.DataStream.CopyTo(file);
                }

                File.Move(partial, schemaFile, overwrite: true);
                return;
            }
        }

        throw new InvalidOperationException($"{tarball} holds no {SchemaEntry}.");
    }
}
