namespace DaprSecurity.Abstractions;

/// <summary>An open connection to one cluster. Opaque to cmdlets; engine services use the client behind it.</summary>
public interface IClusterConnection
{
    /// <summary>The context in use; "(in-cluster)" for a pod's service account.</summary>
    string ContextName { get; }

    /// <summary>The API server URL.</summary>
    string Server { get; }

    /// <summary>The context's namespace, or "default".</summary>
    string DefaultNamespace { get; }

    /// <summary>A number unique to this connection in the session (diagnostics: a reused connection keeps its number).</summary>
    int Id { get; }

    /// <summary>Null when the server is verified; otherwise a sentence naming the cluster and why it is not (cmdlets warn with it).</summary>
    string? UnverifiedServerWarning { get; }
}
