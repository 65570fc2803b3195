using System.Text.Json.Nodes;

namespace DaprSecurity.Engine.Tests.Infrastructure;

/// <summary>
/// The Prometheus project's own Python client parsers (Debian's python3-prometheus-client, installed with apt-get on
/// first use when missing): the Prometheus text-format parser that node-exporter textfiles and Pushgateway bodies
/// must satisfy, and the strict OpenMetrics parser. When the package cannot be had, parsing throws.
/// </summary>
public static class PrometheusParser
{
    private const string Python = "/usr/bin/python3";

    private const string Script = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families as prometheus
        from prometheus_client.openmetrics.parser import text_string_to_metric_families as openmetrics
        text = open(sys.argv[1], encoding='utf-8').read()
        def families(parse, body):
            return [{'name': f.name, 'type': f.type, 'help': f.documentation,
                     'samples': [{'name': s.name, 'labels': s.labels, 'value': s.value} for s in f.samples]} for f in parse(body)]
        print(json.dumps({'prometheus': families(prometheus, text), 'openmetrics': families(openmetrics, text)}))
        """;

    private static readonly Lazy<bool> Installed = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Both parsers' view of <paramref name="exposition"/>: <c>{"prometheus": [...], "openmetrics": [...]}</c>, each a
    /// list of families with name, type, help and samples. Throws with the parser's message when either rejects it.
    /// </summary>
    public static JsonObject Parse(string exposition)
    {
        _ = Installed.Value;
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, exposition, new System.Text.UTF8Encoding(false));
            var (code, output, error) = ExternalCommand.Run(Python, ["-c", Script, file], TimeSpan.FromMinutes(1));
            return code == 0
                ? JsonNode.Parse(output)!.AsObject()
                : throw new FormatException($"The Prometheus parsers rejected the exposition: {error}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static bool Install()
    {
        if (CanImport())
        {
            return true;
        }

        // apt-get update only when the package lists do not know the package yet.
        var install = new[] { "install", "-y", "--no-install-recommends", "python3-prometheus-client" };
        if (ExternalCommand.Run("apt-get", install, TimeSpan.FromMinutes(5)).ExitCode != 0)
        {
            ExternalCommand.Run("apt-get", ["update"], TimeSpan.FromMinutes(5));
            var (code, output, error) = ExternalCommand.Run("apt-get", install, TimeSpan.FromMinutes(5));
            if (code != 0)
            {
                throw new InvalidOperationException($"apt-get could not install python3-prometheus-client: {output}{error}");
            }
        }

        return CanImport() ? true : throw new InvalidOperationException($"{Python} cannot import prometheus_client after installing python3-prometheus-client.");
    }

    private static bool CanImport()
        => File.Exists(Python) && ExternalCommand.Run(Python, ["-c", "import prometheus_client"], TimeSpan.FromMinutes(1)).ExitCode == 0;
}
