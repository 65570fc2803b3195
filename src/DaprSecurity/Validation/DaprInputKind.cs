namespace DaprSecurity.Validation;

/// <summary>What a parameter's text must be; see <see cref="InputRules"/> for each rule and its error id.</summary>
public enum DaprInputKind
{
    /// <summary>A namespace name: a DNS-1123 label (NamespaceNameInvalid).</summary>
    Namespace,

    /// <summary>A workload or component name: a DNS-1123 subdomain (ObjectNameInvalid).</summary>
    ObjectName,

    /// <summary>A Secret name: a DNS-1123 subdomain (SecretNameInvalid).</summary>
    SecretName,

    /// <summary>A Dapr app-id on Kubernetes (InvalidAppId).</summary>
    AppId,

    /// <summary>dapr.io/sidecar-listen-addresses: IP addresses or localhost, comma-separated (ListenAddressInvalid).</summary>
    ListenAddresses,

    /// <summary>Any text matched as a wildcard, such as a context name (WildcardPatternInvalid).</summary>
    Pattern,

    /// <summary>A token the -Token transformation could not take (TokenMalformed).</summary>
    Token,
}
