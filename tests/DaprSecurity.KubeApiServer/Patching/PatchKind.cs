namespace DaprSecurity.KubeApiServer.Patching;

/// <summary>The four PATCH content types the apiserver accepts.</summary>
public enum PatchKind
{
    /// <summary><c>application/json-patch+json</c> (RFC 6902).</summary>
    Json,

    /// <summary><c>application/merge-patch+json</c> (RFC 7386).</summary>
    Merge,

    /// <summary><c>application/strategic-merge-patch+json</c>; built-in kinds only.</summary>
    StrategicMerge,

    /// <summary><c>application/apply-patch+yaml</c>: server-side apply, emulated as create-or-deep-merge.</summary>
    Apply,
}
