namespace DaprSecurity.KubeApiServer.Protobuf;

internal enum ProtoKind
{
    String,
    Int64,
    Bool,
    Time,
    Message,
    StringMap,
    BytesMap,
    RepeatedString,
    RepeatedMessage,
}

/// <summary>A field of a Kubernetes protobuf message and the JSON property it becomes.</summary>
internal sealed record ProtoField(int Number, string JsonName, ProtoKind Kind, ProtoMessage? Message = null);

internal sealed class ProtoMessage(params ProtoField[] fields)
{
    private readonly Dictionary<int, ProtoField> _fields = fields.ToDictionary(f => f.Number);

    public ProtoField? Field(int number) => _fields.GetValueOrDefault(number);
}

/// <summary>
/// Field numbers of the kinds kubectl 1.32 creates through typed (protobuf) clients, from k8s.io/api
/// <c>core/v1/generated.proto</c> and apimachinery <c>meta/v1/generated.proto</c>. Unknown fields are skipped.
/// </summary>
internal static class ProtoSchemas
{
    private static readonly ProtoMessage OwnerReference = new(
        new(1, "kind", ProtoKind.String),
        new(3, "name", ProtoKind.String),
        new(4, "uid", ProtoKind.String),
        new(5, "apiVersion", ProtoKind.String),
        new(6, "controller", ProtoKind.Bool),
        new(7, "blockOwnerDeletion", ProtoKind.Bool));

    private static readonly ProtoMessage ObjectMeta = new(
        new(1, "name", ProtoKind.String),
        new(2, "generateName", ProtoKind.String),
        new(3, "namespace", ProtoKind.String),
        new(5, "uid", ProtoKind.String),
        new(6, "resourceVersion", ProtoKind.String),
        new(7, "generation", ProtoKind.Int64),
        new(8, "creationTimestamp", ProtoKind.Time),
        new(11, "labels", ProtoKind.StringMap),
        new(12, "annotations", ProtoKind.StringMap),
        new(13, "ownerReferences", ProtoKind.RepeatedMessage, OwnerReference),
        new(14, "finalizers", ProtoKind.RepeatedString));

    private static readonly ProtoField Metadata = new(1, "metadata", ProtoKind.Message, ObjectMeta);

    public static readonly IReadOnlyDictionary<string, ProtoMessage> ByKind = new Dictionary<string, ProtoMessage>
    {
        ["Secret"] = new(
            Metadata,
            new(2, "data", ProtoKind.BytesMap),
            new(3, "type", ProtoKind.String),
            new(4, "stringData", ProtoKind.StringMap),
            new(5, "immutable", ProtoKind.Bool)),
        ["ConfigMap"] = new(
            Metadata,
            new(2, "data", ProtoKind.StringMap),
            new(3, "binaryData", ProtoKind.BytesMap),
            new(4, "immutable", ProtoKind.Bool)),
        ["Namespace"] = new(
            Metadata,
            new(2, "spec", ProtoKind.Message, new ProtoMessage(new ProtoField(1, "finalizers", ProtoKind.RepeatedString))),
            new(3, "status", ProtoKind.Message, new ProtoMessage(new ProtoField(1, "phase", ProtoKind.String)))),
    };
}
