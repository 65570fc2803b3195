using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;

namespace DaprSecurity.Engine.Manifests;

/// <summary>
/// A manifest object's JSON view (<see cref="ManifestJson"/>, every scalar as text) read as a Kubernetes model type,
/// without parsing its YAML a second time. Numbers and booleans are read from their text the way YAML typing reads
/// them (true, yes, on; false, no, off), so <c>replicas: "2"</c> and <c>hostNetwork: yes</c> mean what kubectl reads.
/// </summary>
internal static class ManifestTypes
{
    private static readonly JsonSerializerOptions s_options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // KubernetesClient's own source-generated metadata: a scan's first file does not reflect over ~200 model types.
        TypeInfoResolver = SourceGenerationContext.Default,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        Converters =
        {
            new BooleanText(),
            new KubernetesJson.KubernetesDateTimeConverter(),
            new KubernetesJson.KubernetesDateTimeOffsetConverter(),
            new KubernetesJson.Iso8601TimeSpanConverter(),
        },
    };

    // The JSON text of one document at a time on a thread, written and read again at once.
    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? t_text;

    public static T As<T>(JsonObject json) => Read(() => json.Deserialize<T>(s_options)!);

    /// <summary>
    /// The object <paramref name="node"/> holds, from its JSON text (<see cref="ManifestJson.Write"/>) without a JSON
    /// tree between: for a document that reads as its JSON view (<see cref="ManifestDocument.ReadsAsJson"/>).
    /// </summary>
    public static T As<T>(ManifestNode node)
    {
        var (buffer, writer) = t_text ??= (new ArrayBufferWriter<byte>(4096), new Utf8JsonWriter(Stream.Null, new JsonWriterOptions { SkipValidation = true }));
        try
        {
            writer.Reset(buffer);
            ManifestJson.Write(node, writer);
            writer.Flush();
            return Read(() => JsonSerializer.Deserialize<T>(buffer.WrittenSpan, s_options)!);
        }
        finally
        {
            // The text may hold a value an environment variable is given in plain text: not left lying in the buffer.
            buffer.Clear();
            if (buffer.Capacity > KeptTextBytes)
            {
                // One huge document does not keep its text's room for the rest of the session.
                t_text = null;
            }
        }
    }

    private const int KeptTextBytes = 1 << 20;

    private static T Read<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (JsonException e)
        {
            // The JSON position in the message means nothing to the author of the YAML; the field's path does.
            throw new InvalidDataException($"the value of {e.Path?.TrimStart('$', '.')} has the wrong type", e);
        }
    }

    /// <summary>YAML 1.1's booleans, which Kubernetes' YAML reader accepts, as text or as a JSON boolean.</summary>
    private sealed class BooleanText : JsonConverter<bool>
    {
        public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
            => reader.TokenType switch
            {
                JsonTokenType.True => true,
                JsonTokenType.False => false,
                JsonTokenType.String => reader.GetString()!.ToLowerInvariant() switch
                {
                    "true" or "y" or "yes" or "on" => true,
                    "false" or "n" or "no" or "off" => false,
                    _ => throw new JsonException(),
                },
                _ => throw new JsonException(),
            };

        public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteBooleanValue(value);
    }
}
