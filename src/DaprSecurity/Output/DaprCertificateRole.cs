namespace DaprSecurity.Output;

/// <summary>The place of a certificate in the Dapr trust chain.</summary>
public enum DaprCertificateRole
{
    /// <summary>A trust anchor (self-signed) from ca.crt.</summary>
    Root,

    /// <summary>The certificate Sentry signs workload certificates with (first of issuer.crt).</summary>
    Issuer,

    /// <summary>A further CA certificate between the issuer and the root (rest of issuer.crt).</summary>
    Intermediate,
}
