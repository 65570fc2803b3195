using DaprSecurity.Formatting;

namespace DaprSecurity.Output;

/// <summary>One certificate of a Dapr trust bundle (a root from ca.crt, or the issuer chain from issuer.crt).</summary>
public sealed class DaprCertificateInfo : DaprClusterObject
{
    /// <summary>The kubeconfig context the bundle was read from (empty for a certificate file), first in the view: a fleet's certificates sorted by expiry say which cluster each is in.</summary>
    [TableColumn(0, Width = 22)]
    public override string? Context { get => base.Context; init => base.Context = value; }

    [TableColumn(1, Width = 12)]
    public DaprCertificateRole Role { get; init; }

    [TableColumn(4, Wide = true)]
    public string Subject { get; init; } = "";

    public string Issuer { get; init; } = "";

    /// <summary>Start of validity (UTC).</summary>
    public DateTime NotBefore { get; init; }

    /// <summary>End of validity (UTC).</summary>
    [TableColumn(2, Width = 20)]
    public DateTime NotAfter { get; init; }

    /// <summary>Whole days left until NotAfter when the object was created; negative once expired.</summary>
    [TableColumn(3, Width = 15, AlignRight = true)]
    public int DaysUntilExpiry { get; init; }

    /// <summary>For example "ECDSA P-256", "Ed25519" or "RSA 2048".</summary>
    [TableColumn(5, Wide = true)]
    public string KeyAlgorithm { get; init; } = "";

    /// <summary>The SPIFFE trust domain the certificate names (from a spiffe:// URI, or a Dapr root's O=).</summary>
    [TableColumn(6, Wide = true)]
    public string? TrustDomain { get; init; }

    /// <summary>SHA-1 of the DER encoding, upper-case hex, as X509Certificate2.Thumbprint.</summary>
    [TableColumn(7, Wide = true)]
    public string Thumbprint { get; init; } = "";

    public string SerialNumber { get; init; } = "";

    /// <summary>Where the certificate was read: "secret NS/dapr-trust-bundle", a file path, or "generated".</summary>
    public string Source { get; init; } = "";

    /// <summary>The Dapr control-plane namespace, for certificates read from (or written to) a cluster.</summary>
    public string? Namespace { get; init; }

    public override string ToString() => $"{Role} {Subject} (expires {NotAfter:u})";
}
