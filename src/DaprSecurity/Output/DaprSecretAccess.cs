namespace DaprSecurity.Output;

/// <summary>The secrets one app may read from one secret store, per its Configuration's spec.secrets.scopes.</summary>
public sealed class DaprSecretAccess
{
    /// <summary>"allow" (Dapr's default) or "deny".</summary>
    public string DefaultAccess { get; init; } = "allow";

    /// <summary>When not empty, the only secrets the app may read, whatever the default.</summary>
    public string[] AllowedSecrets { get; init; } = Array.Empty<string>();

    /// <summary>Secrets denied when <see cref="AllowedSecrets"/> is empty.</summary>
    public string[] DeniedSecrets { get; init; } = Array.Empty<string>();

    public override string ToString()
        => AllowedSecrets.Length > 0 ? "only " + string.Join(", ", AllowedSecrets)
            : string.Equals(DefaultAccess, "deny", StringComparison.OrdinalIgnoreCase) ? "no secrets"
            : DeniedSecrets.Length > 0 ? "all secrets except " + string.Join(", ", DeniedSecrets)
            : "all secrets";
}
