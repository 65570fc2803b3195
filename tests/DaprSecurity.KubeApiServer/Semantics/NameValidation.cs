using System.Text.RegularExpressions;
using DaprSecurity.KubeApiServer.Http;
using DaprSecurity.KubeApiServer.Resources;

namespace DaprSecurity.KubeApiServer.Semantics;

/// <summary>Object name rules: RFC 1123 labels for namespaces and services, RFC 1123 subdomains for everything else.</summary>
internal static partial class NameValidation
{
    private const string LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    private const string SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    /// <exception cref="ApiException">422 Invalid with the apiserver's message.</exception>
    public static void Validate(ResourceType type, string name)
    {
        var label = type == ResourceRegistry.Namespaces || type == ResourceRegistry.Services;
        var (valid, limit, message) = label
            ? (Label().IsMatch(name), 63, LabelMessage)
            : (Subdomain().IsMatch(name), 253, SubdomainMessage);
        if (!valid)
        {
            throw StatusResponses.Invalid(type, name, FieldError.Invalid("metadata.name", name, message));
        }
        if (name.Length > limit)
        {
            throw StatusResponses.Invalid(type, name, FieldError.Invalid("metadata.name", name, $"must be no more than {limit} characters"));
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();
}
