namespace DaprSecurity.Abstractions;

/// <summary>The key type of newly generated root and issuer keys.</summary>
public enum DaprKeyAlgorithm
{
    /// <summary>ECDSA on the NIST P-256 curve: what every Dapr version reads, and what Sentry generates up to 1.17.</summary>
    EcdsaP256,

    /// <summary>Ed25519, which Sentry 1.18 and later uses for its issuer.</summary>
    Ed25519,
}
