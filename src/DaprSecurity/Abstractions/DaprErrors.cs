using System.Reflection;

namespace DaprSecurity.Abstractions;

/// <summary>
/// The error catalogue: every error id the module raises, declared once with its category and meaning.
/// Ids are permanent (scripts branch on them); add new ones to the section of their area. The README's error
/// table is generated from this list, and a test fails when a raised id is missing here.
/// </summary>
public static class DaprErrors
{
    // Kubeconfig, contexts and the connection to the API server.
    public static readonly DaprError KubeConfigNotFound = new("KubeConfigNotFound", DaprErrorCategory.ObjectNotFound, "No kubeconfig file was found where KUBECONFIG, -KubeConfig or ~/.kube/config point, and the process is not in a cluster.");
    public static readonly DaprError KubeConfigInvalid = new("KubeConfigInvalid", DaprErrorCategory.InvalidData, "A kubeconfig file could not be parsed or lacks a required field.");
    public static readonly DaprError KubeContextNotFound = new("KubeContextNotFound", DaprErrorCategory.ObjectNotFound, "The named context is not in the kubeconfig.");
    public static readonly DaprError KubeContextNotMatched = new("KubeContextNotMatched", DaprErrorCategory.ObjectNotFound, "A -Context wildcard matched no context of the kubeconfig.");
    public static readonly DaprError KubeContextSingleOnly = new("KubeContextSingleOnly", DaprErrorCategory.InvalidArgument, "The cmdlet works in one cluster at a time, but -Context named several.");
    public static readonly DaprError KubeContextConflict = new("KubeContextConflict", DaprErrorCategory.InvalidArgument, "A piped object belongs to another context or kubeconfig than -Context or -KubeConfig name; it is not acted on.");
    public static readonly DaprError KubeContextNotSet = new("KubeContextNotSet", DaprErrorCategory.InvalidArgument, "The kubeconfig has no current context and -Context was not given.");
    public static readonly DaprError ClusterTimeout = new("ClusterTimeout", DaprErrorCategory.OperationTimeout, "The API server did not answer in time.");
    public static readonly DaprError ClusterTlsFailure = new("ClusterTlsFailure", DaprErrorCategory.SecurityError, "The API server's certificate could not be verified.");
    public static readonly DaprError ClusterTlsConfigInvalid = new("ClusterTlsConfigInvalid", DaprErrorCategory.InvalidData, "A kubeconfig cluster sets insecure-skip-tls-verify together with a certificate authority (kubectl refuses it too).");
    public static readonly DaprError ClusterCredentialsOverHttp = new("ClusterCredentialsOverHttp", DaprErrorCategory.SecurityError, "A context would send credentials to an http:// server; it is refused before any request.");
    public static readonly DaprError ClusterUnreachable = new("ClusterUnreachable", DaprErrorCategory.ConnectionError, "The API server could not be reached (unknown host, refused or dropped connection).");

    // Answers of the Kubernetes API, by HTTP status.
    public static readonly DaprError KubeApiNotFound = new("KubeApiNotFound", DaprErrorCategory.ObjectNotFound, "The API server answered 404: the object does not exist.");
    public static readonly DaprError KubeApiAlreadyExists = new("KubeApiAlreadyExists", DaprErrorCategory.ResourceExists, "The API server answered 409 AlreadyExists.");
    public static readonly DaprError KubeApiConflict = new("KubeApiConflict", DaprErrorCategory.InvalidOperation, "The API server answered 409: the object changed since it was read.");
    public static readonly DaprError KubeApiForbidden = new("KubeApiForbidden", DaprErrorCategory.PermissionDenied, "The API server answered 403: the identity may not do this.");
    public static readonly DaprError KubeApiUnauthorized = new("KubeApiUnauthorized", DaprErrorCategory.AuthenticationError, "The API server answered 401: the credentials were not accepted.");
    public static readonly DaprError KubeApiInvalid = new("KubeApiInvalid", DaprErrorCategory.InvalidData, "The API server rejected the request as invalid (400 or 422).");
    public static readonly DaprError KubeApiUnavailable = new("KubeApiUnavailable", DaprErrorCategory.ResourceUnavailable, "The API server stayed busy or failing (429 or 5xx) after retries.");
    public static readonly DaprError KubeApiError = new("KubeApiError", DaprErrorCategory.NotSpecified, "The API server answered with an unexpected status.");
    public static readonly DaprError KubeApiListOutOfOrder = new("KubeApiListOutOfOrder", DaprErrorCategory.InvalidData, "A cluster-wide list returned items of a namespace after that namespace's results were written (the server does not list in key order); the command stops rather than leave them out.");

    // Namespaces and workloads.
    public static readonly DaprError NamespaceNotFound = new("NamespaceNotFound", DaprErrorCategory.ObjectNotFound, "A namespace named exactly does not exist.");
    public static readonly DaprError NamespaceNotMatched = new("NamespaceNotMatched", DaprErrorCategory.ObjectNotFound, "A namespace wildcard matched no namespace.");
    public static readonly DaprError NamespaceListForbidden = new("NamespaceListForbidden", DaprErrorCategory.PermissionDenied, "A namespace wildcard cannot be expanded because the identity may not list namespaces.");
    public static readonly DaprError NamespaceConflict = new("NamespaceConflict", DaprErrorCategory.InvalidArgument, "A piped object is in a namespace that -Namespace, given on the command line, does not select; it is not acted on.");
    public static readonly DaprError NameConflict = new("NameConflict", DaprErrorCategory.InvalidArgument, "A piped object of a reader's own kind has a name that -Name, given on the command line, does not select; it is not read.");
    public static readonly DaprError ManifestObjectPiped = new("ManifestObjectPiped", DaprErrorCategory.InvalidArgument, "A component read from a manifest file was piped into a command that would read the cluster for it; give the manifests with -Path instead.");
    public static readonly DaprError NamespaceSingleOnly = new("NamespaceSingleOnly", DaprErrorCategory.InvalidArgument, "The parameter takes one namespace, named exactly, but was given a wildcard.");
    public static readonly DaprError NamespaceNameInvalid = new("NamespaceNameInvalid", DaprErrorCategory.InvalidArgument, "A -Namespace, -ControlPlaneNamespace or -Canary value is not a Kubernetes namespace name (or, where wildcards are allowed, a pattern of one).");
    public static readonly DaprError ObjectNameInvalid = new("ObjectNameInvalid", DaprErrorCategory.InvalidArgument, "A -Name value is not a Kubernetes object name (or, where wildcards are allowed, a pattern of one).");
    public static readonly DaprError WildcardPatternInvalid = new("WildcardPatternInvalid", DaprErrorCategory.InvalidArgument, "A wildcard pattern cannot be parsed, for example a range in reverse order such as [z-a].");
    public static readonly DaprError WorkloadNotFound = new("WorkloadNotFound", DaprErrorCategory.ObjectNotFound, "The named workload does not exist.");
    public static readonly DaprError WorkloadKindUnsupported = new("WorkloadKindUnsupported", DaprErrorCategory.InvalidArgument, "The object is not a Deployment, StatefulSet or DaemonSet.");
    public static readonly DaprError WorkloadNotDaprEnabled = new("WorkloadNotDaprEnabled", DaprErrorCategory.InvalidArgument, "The workload does not have dapr.io/enabled: \"true\".");
    public static readonly DaprError WorkloadPaused = new("WorkloadPaused", DaprErrorCategory.InvalidOperation, "The Deployment is paused, so a restart would not roll out.");
    public static readonly DaprError RolloutFailed = new("RolloutFailed", DaprErrorCategory.ResourceUnavailable, "A restarted workload's rollout failed (progress deadline exceeded); later work was stopped.");
    public static readonly DaprError RolloutTimedOut = new("RolloutTimedOut", DaprErrorCategory.OperationTimeout, "A restarted workload's rollout did not finish within -Timeout; later work was stopped.");
    public static readonly DaprError ListenAddressInvalid = new("ListenAddressInvalid", DaprErrorCategory.InvalidArgument, "A -ListenAddresses entry is neither an IP address nor localhost.");
    public static readonly DaprError SecretNameInvalid = new("SecretNameInvalid", DaprErrorCategory.InvalidArgument, "A Secret name is not a valid Kubernetes object name.");
    public static readonly DaprError RestartNotApplied = new("RestartNotApplied", DaprErrorCategory.InvalidResult, "A restart was sent, but the API server's answer shows an unchanged pod template, so no pod would be replaced.");
    public static readonly DaprError SidecarSettingRequired = new("SidecarSettingRequired", DaprErrorCategory.InvalidArgument, "Set-DaprSidecarAnnotation was given no setting to change.");

    // API tokens.
    public static readonly DaprError TokenMalformed = new("TokenMalformed", DaprErrorCategory.InvalidArgument, "A token is empty, too short or too long, not a token, SecureString or string, or contains characters a header cannot carry.");
    public static readonly DaprError TokenClaimInvalid = new("TokenClaimInvalid", DaprErrorCategory.InvalidArgument, "A -Claim has an empty name, or a value that is not a string, number, boolean or array of those.");
    public static readonly DaprError TokenNotDotEnvSafe = new("TokenNotDotEnvSafe", DaprErrorCategory.InvalidArgument, "The token cannot be written to a .env file without quoting problems.");
    public static readonly DaprError TokenSecretNotFound = new("TokenSecretNotFound", DaprErrorCategory.ObjectNotFound, "The token Secret does not exist in the namespace.");
    public static readonly DaprError TokenSecretImmutable = new("TokenSecretImmutable", DaprErrorCategory.InvalidOperation, "The token Secret is immutable and cannot be updated in place.");
    public static readonly DaprError TokenSecretInUse = new("TokenSecretInUse", DaprErrorCategory.InvalidOperation, "The token Secret is still referenced by workloads, so it is not removed.");
    public static readonly DaprError TokenEndpointInvalid = new("TokenEndpointInvalid", DaprErrorCategory.InvalidArgument, "The endpoint given to Test-DaprTokenEnforcement is not an http(s) URL.");
    public static readonly DaprError TokenEndpointTimeout = new("TokenEndpointTimeout", DaprErrorCategory.OperationTimeout, "The endpoint did not answer in time.");
    public static readonly DaprError TokenEndpointUnreachable = new("TokenEndpointUnreachable", DaprErrorCategory.ConnectionError, "The endpoint could not be reached.");
    public static readonly DaprError AzurePipelinesNotDetected = new("AzurePipelinesNotDetected", DaprErrorCategory.InvalidOperation, "-AzurePipelinesVariable was used outside Azure Pipelines (TF_BUILD is not True).");
    public static readonly DaprError TokenParameterNotApplicable = new("TokenParameterNotApplicable", DaprErrorCategory.InvalidArgument, "A JWT-only parameter (-Claim, -Subject, -ExpiresIn, ...) was given for an opaque token.");
    public static readonly DaprError TokenAlgorithmNotSupported = new("TokenAlgorithmNotSupported", DaprErrorCategory.InvalidArgument, "The JWT signing algorithm is not HS256, HS384 or HS512.");
    public static readonly DaprError TokenLifetimeInvalid = new("TokenLifetimeInvalid", DaprErrorCategory.InvalidArgument, "-ExpiresIn is not a positive time span.");
    public static readonly DaprError TokenClaimReserved = new("TokenClaimReserved", DaprErrorCategory.InvalidArgument, "-Claim sets a claim the module itself controls.");
    public static readonly DaprError SigningKeyTooShort = new("SigningKeyTooShort", DaprErrorCategory.InvalidArgument, "The JWT signing key is shorter than its algorithm needs.");

    // mTLS, the control plane and the trust bundle.
    public static readonly DaprError DaprNotInstalled = new("DaprNotInstalled", DaprErrorCategory.ObjectNotFound, "No Dapr control plane was found in the cluster.");
    public static readonly DaprError DaprControlPlaneNotFound = new("DaprControlPlaneNotFound", DaprErrorCategory.ObjectNotFound, "The Dapr control plane was not found in the given namespace.");
    public static readonly DaprError DaprControlPlaneAmbiguous = new("DaprControlPlaneAmbiguous", DaprErrorCategory.InvalidArgument, "More than one namespace holds a Dapr control plane; name one with -ControlPlaneNamespace.");
    public static readonly DaprError SentryNotFound = new("SentryNotFound", DaprErrorCategory.ObjectNotFound, "The control plane has no Sentry deployment.");
    public static readonly DaprError TrustBundleNotFound = new("TrustBundleNotFound", DaprErrorCategory.ObjectNotFound, "The dapr-trust-bundle Secret or ConfigMap does not exist.");
    public static readonly DaprError TrustBundleInvalid = new("TrustBundleInvalid", DaprErrorCategory.InvalidData, "The trust bundle's certificates or keys do not parse or do not chain.");
    public static readonly DaprError TrustBundleWriteFailed = new("TrustBundleWriteFailed", DaprErrorCategory.WriteError, "Writing the trust bundle failed; the Secret was restored so the bundle is unchanged.");
    public static readonly DaprError TrustBundleRestoreFailed = new("TrustBundleRestoreFailed", DaprErrorCategory.WriteError, "A failed trust-bundle write could not be undone; the error names what to restore.");
    public static readonly DaprError TrustBundleInconsistent = new("TrustBundleInconsistent", DaprErrorCategory.InvalidOperation, "The Secret's and the ConfigMap's ca.crt differ, so restarting Sentry would make it generate a new CA; nothing was restarted.");
    public static readonly DaprError TrustBundleBackupInvalid = new("TrustBundleBackupInvalid", DaprErrorCategory.InvalidData, "The -RestoreFrom file is not a trust-bundle recovery file of this control plane; nothing was written.");
    public static readonly DaprError RootKeyMismatch = new("RootKeyMismatch", DaprErrorCategory.InvalidArgument, "The given root key does not belong to the root certificate.");
    public static readonly DaprError CertificateNotFound = new("CertificateNotFound", DaprErrorCategory.ObjectNotFound, "The expected certificate is not in the bundle or file.");
    public static readonly DaprError CertificateFileNotFound = new("CertificateFileNotFound", DaprErrorCategory.ObjectNotFound, "A certificate or key file does not exist.");
    public static readonly DaprError CertificateFileUnreadable = new("CertificateFileUnreadable", DaprErrorCategory.ReadError, "A certificate or key file could not be read.");
    public static readonly DaprError PrivateKeyUnsupported = new("PrivateKeyUnsupported", DaprErrorCategory.InvalidData, "The private key's algorithm or encoding is not supported.");
    public static readonly DaprError RootCertificateNotFound = new("RootCertificateNotFound", DaprErrorCategory.InvalidData, "The trust bundle holds no root certificate.");
    public static readonly DaprError IssuerCertificateNotFound = new("IssuerCertificateNotFound", DaprErrorCategory.InvalidData, "The trust bundle holds no issuer certificate.");
    public static readonly DaprError IssuerKeyNotFound = new("IssuerKeyNotFound", DaprErrorCategory.InvalidData, "The trust bundle holds no issuer private key.");
    public static readonly DaprError CertificateInvalid = new("CertificateInvalid", DaprErrorCategory.InvalidData, "A CERTIFICATE block is not a valid X.509 certificate.");
    public static readonly DaprError PemInvalid = new("PemInvalid", DaprErrorCategory.InvalidData, "The text is not valid PEM.");
    public static readonly DaprError PrivateKeyNotFound = new("PrivateKeyNotFound", DaprErrorCategory.InvalidData, "The file or value holds no PEM private key.");
    public static readonly DaprError PrivateKeyEncrypted = new("PrivateKeyEncrypted", DaprErrorCategory.InvalidData, "The private key is encrypted; decrypt it first.");
    public static readonly DaprError PrivateKeyInvalid = new("PrivateKeyInvalid", DaprErrorCategory.InvalidData, "A private key block cannot be read.");

    // Components, scopes and manifests.
    public static readonly DaprError ComponentNotFound = new("ComponentNotFound", DaprErrorCategory.ObjectNotFound, "The named Dapr component does not exist.");
    public static readonly DaprError ComponentScopesInvalid = new("ComponentScopesInvalid", DaprErrorCategory.InvalidData, "A component's scopes field is not a list of app ids.");
    public static readonly DaprError ComponentScopeConflict = new("ComponentScopeConflict", DaprErrorCategory.InvalidOperation, "The component kept changing while its scopes were edited.");
    public static readonly DaprError ComponentScopeWouldUnscope = new("ComponentScopeWouldUnscope", DaprErrorCategory.InvalidOperation, "Removing the last app id would make the component reachable by every app.");
    public static readonly DaprError InvalidAppId = new("InvalidAppId", DaprErrorCategory.InvalidArgument, "An app id is not a valid Dapr app id.");
    public static readonly DaprError ManifestPathNotFound = new("ManifestPathNotFound", DaprErrorCategory.ObjectNotFound, "A manifest file or folder does not exist.");
    public static readonly DaprError ManifestUnreadable = new("ManifestUnreadable", DaprErrorCategory.ReadError, "A manifest file could not be read.");
    public static readonly DaprError ManifestInvalidYaml = new("ManifestInvalidYaml", DaprErrorCategory.InvalidData, "A manifest file is not valid YAML or JSON.");
    public static readonly DaprError ManifestDuplicateKey = new("ManifestDuplicateKey", DaprErrorCategory.InvalidData, "A manifest mapping repeats a key.");
    public static readonly DaprError ManifestNotEditable = new("ManifestNotEditable", DaprErrorCategory.InvalidData, "The manifest's layout cannot be edited safely.");
    public static readonly DaprError ManifestEditUnsafe = new("ManifestEditUnsafe", DaprErrorCategory.InvalidOperation, "An edit would change more than the scopes; nothing was written.");
    public static readonly DaprError ManifestChanged = new("ManifestChanged", DaprErrorCategory.WriteError, "The manifest changed on disk while it was edited; nothing was written.");
    public static readonly DaprError ManifestWriteFailed = new("ManifestWriteFailed", DaprErrorCategory.WriteError, "The edited manifest could not be written.");

    // Commands stopped part-way.
    public static readonly DaprError CommandStopped = new("CommandStopped", DaprErrorCategory.OperationStopped, "A writing command was stopped (Ctrl+C, a pipeline stop, SIGTERM); the message says what was done, what was not and how to finish.");

    // Audit (Test-DaprSecurity).
    public static readonly DaprError AuditNothingSelected = new("AuditNothingSelected", DaprErrorCategory.ObjectNotFound, "The audit selected nothing to check (no namespace matched, no manifest found), so it cannot pass.");
    public static readonly DaprError AuditObjectInvalid = new("AuditObjectInvalid", DaprErrorCategory.InvalidData, "A manifest object could not be read as its kind (a field has the wrong type or is missing).");
    public static readonly DaprError AuditRuleFailed = new("AuditRuleFailed", DaprErrorCategory.InvalidResult, "A rule could not be evaluated on the objects read; its result is an Error.");
    public static readonly DaprError AuditSuppressionFileInvalid = new("AuditSuppressionFileInvalid", DaprErrorCategory.InvalidData, "The -SuppressionPath file is missing, unreadable or not a YAML list of suppressions.");
    public static readonly DaprError AuditBaselineInvalid = new("AuditBaselineInvalid", DaprErrorCategory.InvalidData, "The -BaselinePath file is missing, unreadable or not a baseline written by -UpdateBaseline.");
    public static readonly DaprError AuditBaselineRequired = new("AuditBaselineRequired", DaprErrorCategory.InvalidArgument, "-UpdateBaseline and -FailOnNewOnly need -BaselinePath.");
    public static readonly DaprError AuditRuleNotFound = new("AuditRuleNotFound", DaprErrorCategory.ObjectNotFound, "Get-DaprSecurityRule -Id named, without wildcards, a rule the catalogue does not have.");
    public static readonly DaprError AuditReportFailed = new("AuditReportFailed", DaprErrorCategory.WriteError, "The -OutputFormat report could not be written to -OutputPath.");

    // Local files.
    public static readonly DaprError InputPathIsDirectory = new("InputPathIsDirectory", DaprErrorCategory.InvalidArgument, "A path that must name a file (kubeconfig, certificate, key, manifest, dotenv) names a directory.");
    public static readonly DaprError InputPathNotRegularFile = new("InputPathNotRegularFile", DaprErrorCategory.InvalidArgument, "A file input is a device, FIFO or socket, not a regular file; nothing was read from or written to it.");
    public static readonly DaprError InputFileTooLarge = new("InputFileTooLarge", DaprErrorCategory.LimitsExceeded, "A file input is larger than the cap for its kind (PEM and keys 1 MB, kubeconfig 16 MB, manifests 64 MB).");
    public static readonly DaprError FileExists = new("FileExists", DaprErrorCategory.ResourceExists, "The output file exists; use -Force to replace it.");
    public static readonly DaprError FileWriteFailed = new("FileWriteFailed", DaprErrorCategory.WriteError, "An output file could not be written.");

    // Anything else.
    public static readonly DaprError UnexpectedError = new("UnexpectedError", DaprErrorCategory.NotSpecified, "A failure the module did not foresee (a defect): the message names it; please report it.");

    private static readonly Lazy<IReadOnlyList<DaprError>> s_all = new(() => typeof(DaprErrors)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(DaprError))
        .Select(f => (DaprError)f.GetValue(null)!)
        .ToArray());

    /// <summary>Every declared error, in declaration order.</summary>
    public static IReadOnlyList<DaprError> All => s_all.Value;
}
