namespace DaprSecurity.Output;

/// <summary>Why an app can or cannot load a component.</summary>
public enum DaprAccessReason
{
    /// <summary>The component has no scopes: every app in its namespace can load it.</summary>
    Unscoped,

    /// <summary>The app-id is in the component's scopes.</summary>
    Listed,

    /// <summary>The component is scoped and the app-id is not in its scopes.</summary>
    NotListed,

    /// <summary>The app's Configuration denies the component's type (spec.components.deny).</summary>
    DeniedByConfiguration,
}
