using System.Text.Json.Nodes;
using DaprSecurity.Engine.Text;

namespace DaprSecurity.Engine.Scopes;

/// <summary>The Dapr custom resources this area reads (group dapr.io, dapr/dapr charts/dapr/crds).</summary>
internal sealed record DaprResource(string Kind, string Plural)
{
    public const string Group = "dapr.io";
    public const string Version = "v1alpha1";

    public static readonly DaprResource Component = new("Component", "components");
    public static readonly DaprResource Configuration = new("Configuration", "configurations");

    /// <summary>True for an object of this kind in any dapr.io version.</summary>
    public bool Is(JsonObject json) => Is(JsonText.Of(json, "apiVersion"), JsonText.Of(json, "kind"));

    /// <summary>True for an object of this kind in any dapr.io version.</summary>
    public bool Is(string? apiVersion, string? kind) => apiVersion?.StartsWith(Group + "/", StringComparison.Ordinal) == true && kind == Kind;
}
