using System.Text;
using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Http;

namespace DaprSecurity.KubeApiServer.Protobuf;

/// <summary>
/// Turns a <c>application/vnd.kubernetes.protobuf</c> body into the equivalent JSON object. The body is the <c>k8s\0</c> magic
/// followed by a <c>runtime.Unknown</c> {1 typeMeta {1 apiVersion, 2 kind}, 2 raw object}. Only the kinds in
/// <see cref="ProtoSchemas"/> are understood; anything else is answered with 415 so the gap is obvious.
/// </summary>
public static class ProtobufDecoder
{
    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    /// <exception cref="ApiException">400 for a malformed body, 415 for a kind without a schema.</exception>
    public static JsonObject Decode(ReadOnlySpan<byte> body)
    {
        if (!body.StartsWith(Magic))
        {
            throw StatusResponses.BadRequest("protobuf body does not start with the k8s\\0 magic");
        }
        try
        {
            return DecodeUnknown(body[Magic.Length..]);
        }
        catch (FormatException e)
        {
            throw StatusResponses.BadRequest($"cannot decode protobuf body: {e.Message}");
        }
    }

    private static JsonObject DecodeUnknown(ReadOnlySpan<byte> envelope)
    {
        string apiVersion = "", kind = "";
        ReadOnlySpan<byte> raw = default;
        var reader = new ProtobufReader(envelope);
        while (!reader.AtEnd)
        {
            var (field, wireType) = reader.ReadTag();
            if (field == 1 && wireType == 2)
            {
                (apiVersion, kind) = DecodeTypeMeta(reader.ReadLengthDelimited());
            }
            else if (field == 2 && wireType == 2)
            {
                raw = reader.ReadLengthDelimited();
            }
            else
            {
                reader.Skip(wireType);
            }
        }
        if (!ProtoSchemas.ByKind.TryGetValue(kind, out var schema))
        {
            throw StatusResponses.UnsupportedMediaType(MediaTypes.Protobuf, [MediaTypes.Json, MediaTypes.Yaml]);
        }
        return DecodeMessage(raw, schema, new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind });
    }

    private static (string ApiVersion, string Kind) DecodeTypeMeta(ReadOnlySpan<byte> bytes)
    {
        string apiVersion = "", kind = "";
        var reader = new ProtobufReader(bytes);
        while (!reader.AtEnd)
        {
            var (field, wireType) = reader.ReadTag();
            if (wireType == 2 && field is 1 or 2)
            {
                var text = Encoding.UTF8.GetString(reader.ReadLengthDelimited());
                (apiVersion, kind) = field == 1 ? (text, kind) : (apiVersion, text);
            }
            else
            {
                reader.Skip(wireType);
            }
        }
        return (apiVersion, kind);
    }

    /// <summary>Decodes a message; like Go's JSON <c>omitempty</c>, empty strings and zero numbers are left out.</summary>
    private static JsonObject DecodeMessage(ReadOnlySpan<byte> bytes, ProtoMessage schema, JsonObject? into = null)
    {
        var result = into ?? [];
        var reader = new ProtobufReader(bytes);
        while (!reader.AtEnd)
        {
            var (number, wireType) = reader.ReadTag();
            if (schema.Field(number) is not { } field)
            {
                reader.Skip(wireType);
                continue;
            }
            switch (field.Kind)
            {
                case ProtoKind.Int64:
                    var number64 = (long)reader.ReadVarint();
                    if (number64 != 0)
                    {
                        result[field.JsonName] = number64;
                    }
                    break;
                case ProtoKind.Bool:
                    result[field.JsonName] = reader.ReadVarint() != 0;
                    break;
                case ProtoKind.String:
                    var text = Encoding.UTF8.GetString(reader.ReadLengthDelimited());
                    if (text.Length > 0)
                    {
                        result[field.JsonName] = text;
                    }
                    break;
                case ProtoKind.Time:
                    if (DecodeTime(reader.ReadLengthDelimited()) is { } time)
                    {
                        result[field.JsonName] = time;
                    }
                    break;
                case ProtoKind.Message:
                    result[field.JsonName] = DecodeMessage(reader.ReadLengthDelimited(), field.Message!);
                    break;
                case ProtoKind.StringMap:
                case ProtoKind.BytesMap:
                    var (key, value) = DecodeMapEntry(reader.ReadLengthDelimited(), field.Kind == ProtoKind.BytesMap);
                    result.Child(field.JsonName)[key] = value;
                    break;
                case ProtoKind.RepeatedString:
                    result.ChildArray(field.JsonName).Add(Encoding.UTF8.GetString(reader.ReadLengthDelimited()));
                    break;
                case ProtoKind.RepeatedMessage:
                    result.ChildArray(field.JsonName).Add(DecodeMessage(reader.ReadLengthDelimited(), field.Message!));
                    break;
            }
        }
        return result;
    }

    /// <summary>A map entry is a message {1 key, 2 value}; byte values become base64 as in JSON.</summary>
    private static (string Key, string Value) DecodeMapEntry(ReadOnlySpan<byte> bytes, bool bytesValue)
    {
        string key = "", value = "";
        var reader = new ProtobufReader(bytes);
        while (!reader.AtEnd)
        {
            var (field, wireType) = reader.ReadTag();
            if (wireType != 2 || field is not (1 or 2))
            {
                reader.Skip(wireType);
                continue;
            }
            var payload = reader.ReadLengthDelimited();
            if (field == 1)
            {
                key = Encoding.UTF8.GetString(payload);
            }
            else
            {
                value = bytesValue ? Convert.ToBase64String(payload) : Encoding.UTF8.GetString(payload);
            }
        }
        return (key, value);
    }

    /// <summary>meta/v1 Time is {1 seconds, 2 nanos}; zero means unset.</summary>
    private static string? DecodeTime(ReadOnlySpan<byte> bytes)
    {
        long seconds = 0;
        var reader = new ProtobufReader(bytes);
        while (!reader.AtEnd)
        {
            var (field, wireType) = reader.ReadTag();
            if (field == 1 && wireType == 0)
            {
                seconds = (long)reader.ReadVarint();
            }
            else
            {
                reader.Skip(wireType);
            }
        }
        return seconds == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(seconds).ToString("yyyy-MM-ddTHH:mm:ssZ");
    }
}
