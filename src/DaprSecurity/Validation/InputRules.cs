using System.Collections;
using System.Net;
using DaprSecurity.Abstractions;
using DaprSecurity.Output;

namespace DaprSecurity.Validation;

/// <summary>
/// Every rule for text a user gives the module, in one place: the cmdlets check their parameters with it (see
/// <see cref="ParameterValidation"/>) and the engine checks its requests with the same rules. Each rule raises its
/// catalogue error naming the parameter and the value, and says what would be valid.
/// </summary>
public static class InputRules
{
    /// <summary>The longest token the module accepts: daprd reads HTTP headers into a 4 KB buffer by default.</summary>
    public const int MaxTokenLength = 4096;

    /// <summary>Checks one bound parameter value (a string, an array of them, or a token) against its declared kind.</summary>
    /// <param name="input">What the value must be.</param>
    /// <param name="parameter">The parameter's name, for the message.</param>
    /// <param name="value">The bound value.</param>
    /// <param name="allowEmptyList">The parameter takes an empty list (it has [AllowEmptyCollection]).</param>
    public static void Check(DaprInputAttribute input, string parameter, object? value, bool allowEmptyList)
    {
        if (input.Kind == DaprInputKind.Token)
        {
            if (value is DaprToken { Rejection: { } rejection })
            {
                throw DaprErrors.TokenMalformed.Raise($"-{parameter} cannot be used: {rejection}", parameter,
                    recommendedAction: "Pass a token from New-DaprAppToken, a SecureString or a string of at most " + MaxTokenLength + " characters.");
            }

            return;
        }

        var texts = value is string single ? new[] { single } : (value as IEnumerable)?.Cast<object?>().Select(v => v as string).ToArray() ?? new string?[] { null };
        if (texts.Length == 0 && !allowEmptyList && input.Kind != DaprInputKind.Pattern)
        {
            throw ErrorOf(input.Kind).Raise($"-{parameter} is an empty list: give {What(input)}.", parameter);
        }

        foreach (var text in texts)
        {
            Check(input, "-" + parameter, text);
        }
    }

    /// <summary>dapr.io/sidecar-listen-addresses: IP addresses or localhost, comma-separated; empty removes the annotation.</summary>
    public static void ListenAddresses(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        foreach (var address in value.Split(','))
        {
            var trimmed = address.Trim();
            if (trimmed != "localhost" && !IPAddress.TryParse(trimmed, out _))
            {
                throw DaprErrors.ListenAddressInvalid.Raise(
                    $"-ListenAddresses '{value}': '{trimmed}' is neither an IP address nor localhost; nothing was changed.",
                    value,
                    recommendedAction: "Give IP addresses or localhost, separated by commas, for example '127.0.0.1,::1'.");
            }
        }
    }

    /// <summary>A Secret name to write into an annotation or to create; empty (remove the annotation) passes.</summary>
    public static void SecretName(string parameter, string? name)
    {
        if (!string.IsNullOrEmpty(name) && !KubernetesNames.IsSubdomain(name))
        {
            throw DaprErrors.SecretNameInvalid.Raise(
                $"{parameter} '{name}' is not a Kubernetes Secret name (lower-case letters, digits, '-' and '.', at most 253 characters); nothing was changed.",
                name);
        }
    }

    /// <summary>App-ids no sidecar could ever have are refused before anything is written.</summary>
    public static void AppIds(IEnumerable<string> appIds)
    {
        foreach (var appId in appIds)
        {
            if (!KubernetesNames.IsAppId(appId))
            {
                throw DaprErrors.InvalidAppId.Raise($"'{appId}' is not a valid Dapr app-id on Kubernetes: use at most 58 lowercase letters, digits and '-', starting and ending with a letter or digit.",
                    appId);
            }
        }
    }

    private static void Check(DaprInputAttribute input, string parameter, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            if (input.Kind != DaprInputKind.Pattern && (text is null || !input.AllowEmpty))
            {
                throw ErrorOf(input.Kind).Raise($"{parameter} is {(text is null ? "$null" : "an empty string")}: give {What(input)}.", parameter);
            }

            return;
        }

        var wildcards = (input.Wildcards || input.Kind == DaprInputKind.Pattern) && WildcardSyntax.HasWildcards(text);
        if (wildcards)
        {
            WildcardSyntax.ToRegex(text);
        }

        switch (input.Kind)
        {
            case DaprInputKind.Pattern:
                return;
            case DaprInputKind.ListenAddresses:
                ListenAddresses(text);
                return;
        }

        // A pattern is checked by its literal characters; names that select existing objects match case-insensitively.
        var literal = wildcards ? WildcardSyntax.LiteralText(text) : text;
        var name = input.Wildcards ? literal.ToLowerInvariant() : literal;
        var valid = input.Kind switch
        {
            DaprInputKind.Namespace => wildcards ? name.Length <= 63 && name.All(IsLabelChar) : KubernetesNames.IsLabel(name),
            DaprInputKind.AppId => wildcards ? name.All(IsLabelChar) : KubernetesNames.IsAppId(name),
            _ => wildcards ? name.Length <= 253 && name.All(c => IsLabelChar(c) || c == '.') : KubernetesNames.IsSubdomain(name),
        };
        if (!valid)
        {
            throw ErrorOf(input.Kind).Raise($"{parameter} '{text}' is not {What(input)}; nothing was done.", text);
        }
    }

    private static bool IsLabelChar(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-';

    private static DaprError ErrorOf(DaprInputKind kind) => kind switch
    {
        DaprInputKind.Namespace => DaprErrors.NamespaceNameInvalid,
        DaprInputKind.SecretName => DaprErrors.SecretNameInvalid,
        DaprInputKind.AppId => DaprErrors.InvalidAppId,
        DaprInputKind.ListenAddresses => DaprErrors.ListenAddressInvalid,
        DaprInputKind.Pattern => DaprErrors.WildcardPatternInvalid,
        _ => DaprErrors.ObjectNameInvalid,
    };

    private static string What(DaprInputAttribute input)
    {
        var what = input.Kind switch
        {
            DaprInputKind.Namespace => "a namespace name (at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit)",
            DaprInputKind.SecretName => "a Secret name (at most 253 lower-case letters, digits, '-' and '.')",
            DaprInputKind.AppId => "a Dapr app-id (at most 58 lower-case letters, digits and '-', starting and ending with a letter or digit)",
            DaprInputKind.ListenAddresses => "IP addresses or localhost, separated by commas",
            DaprInputKind.Pattern => "a name or a wildcard pattern",
            _ => "a Kubernetes object name (at most 253 lower-case letters, digits, '-' and '.')",
        };
        return input.Wildcards ? what + ", or a wildcard pattern of one such as prod-*" : what;
    }
}
