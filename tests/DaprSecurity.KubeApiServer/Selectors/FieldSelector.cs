using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Http;
using DaprSecurity.KubeApiServer.Resources;

namespace DaprSecurity.KubeApiServer.Selectors;

/// <summary>
/// A parsed <c>fieldSelector</c> (<c>f=v</c>, <c>f==v</c>, <c>f!=v</c>, comma = AND) over the fields the apiserver supports for
/// every kind (<c>metadata.name</c>, <c>metadata.namespace</c>) plus Secret <c>type</c>.
/// </summary>
public sealed class FieldSelector
{
    private readonly List<Func<JsonObject, bool>> _requirements = [];

    private FieldSelector()
    {
    }

    /// <exception cref="ApiException">400 for malformed selectors and unsupported fields.</exception>
    public static FieldSelector Parse(string? text, ResourceType type)
    {
        var selector = new FieldSelector();
        foreach (var requirement in (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var (field, value, negate) = Split(requirement);
            var read = Accessor(field, type);
            selector._requirements.Add(negate ? obj => read(obj) != value : obj => read(obj) == value);
        }
        return selector;
    }

    public bool Matches(JsonObject obj) => _requirements.TrueForAll(requirement => requirement(obj));

    private static (string Field, string Value, bool Negate) Split(string requirement)
    {
        foreach (var (op, negate) in new[] { ("!=", true), ("==", false), ("=", false) })
        {
            var at = requirement.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                return (requirement[..at].Trim(), requirement[(at + op.Length)..].Trim(), negate);
            }
        }
        throw StatusResponses.BadRequest($"invalid selector: '{requirement}'; can't understand '{requirement}'");
    }

    private static Func<JsonObject, string> Accessor(string field, ResourceType type) => field switch
    {
        "metadata.name" => obj => obj["metadata"]?["name"]?.GetValue<string>() ?? "",
        "metadata.namespace" => obj => obj["metadata"]?["namespace"]?.GetValue<string>() ?? "",
        "type" when type == ResourceRegistry.Secrets => obj => obj["type"]?.GetValue<string>() ?? "",
        _ => throw StatusResponses.BadRequest($"field label not supported: {field}"),
    };
}
