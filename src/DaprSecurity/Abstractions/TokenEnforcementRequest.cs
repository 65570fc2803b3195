using DaprSecurity.Output;

namespace DaprSecurity.Abstractions;

/// <summary>What Test-DaprTokenEnforcement asks for.</summary>
public sealed record TokenEnforcementRequest(Uri Uri, DaprTokenKind Kind, DaprToken Token, string Method, TimeSpan Timeout, bool SkipCertificateCheck);
