using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DaprSecurity.Engine.Audit.Model;
using DaprSecurity.Engine.Text;

namespace DaprSecurity.Engine.Audit.Rules;

/// <summary>Component secrets belong in a secret store, referenced with secretKeyRef. Values are never copied into results.</summary>
internal static partial class SecretRules
{
    /// <summary>DAPR-SECRET-001: a secret-like metadata name (password, token, key, ...) with a plain value.</summary>
    public static IEnumerable<RuleFinding> NoPlainSecrets(AuditSnapshot snapshot)
    {
        foreach (var document in snapshot.Components)
        {
            var items = Items(document.Json).ToList();
            var plain = items.Where(i => IsSecretLike(i.Name) && i.Item["value"] is { } value && (JsonText.Of(value) ?? "").Length > 0).ToList();
            if (plain.Count == 0)
            {
                yield return RuleFinding.Pass(document.Resource, "No secret-like metadata has a plain value.", new[] { "spec", "metadata" });
            }

            foreach (var (name, index, item) in plain)
            {
                var length = (JsonText.Of(item["value"]) ?? "").Length;
                yield return RuleFinding.Fail(document.Resource, $"Metadata '{name}' holds a plain value ({length} characters, not shown) instead of a secretKeyRef: anyone who can read the component or its manifest can read it.", new[] { "spec", "metadata", $"[{index}]", "value" });
            }
        }
    }

    /// <summary>DAPR-SECRET-002 (cluster): a secretKeyRef, resolved from Kubernetes Secrets, to a secret or key that does not exist.</summary>
    public static IEnumerable<RuleFinding> ReferencesExist(AuditSnapshot snapshot)
    {
        foreach (var document in snapshot.Components)
        {
            var store = JsonText.Of(document.Json, "auth", "secretStore");
            if (store is not (null or "" or "kubernetes"))
            {
                continue; // The sidecar resolves these through another secret store, which the audit cannot see into.
            }

            if (snapshot.Cluster?.SecretsError is { } error)
            {
                yield return RuleFinding.Fail(document.Resource, $"Not checked: {error}") with { IsError = true };
                continue;
            }

            var problems = new List<RuleFinding>();
            foreach (var (name, index, item) in Items(document.Json))
            {
                if (item["secretKeyRef"] is not JsonObject reference || JsonText.Of(reference["name"]) is not { } secretName)
                {
                    continue;
                }

                var key = JsonText.Of(reference["key"]) ?? name;
                var at = new[] { "spec", "metadata", $"[{index}]", "secretKeyRef" };
                var secret = snapshot.Secret(document.Resource.Namespace, secretName);
                if (secret is null)
                {
                    problems.Add(RuleFinding.Fail(document.Resource, $"Metadata '{name}' references secret '{secretName}', which does not exist in namespace '{document.Resource.Namespace}': the component fails to initialize.", at));
                }
                else if (!secret.Keys.Contains(key))
                {
                    problems.Add(RuleFinding.Fail(document.Resource, $"Metadata '{name}' references key '{key}' of secret '{secretName}', which has no such key (it has: {string.Join(", ", secret.Keys.Order(StringComparer.Ordinal))}).", at));
                }
            }

            if (problems.Count == 0)
            {
                yield return RuleFinding.Pass(document.Resource, "Every secretKeyRef names an existing secret and key.");
            }

            foreach (var problem in problems)
            {
                yield return problem;
            }
        }
    }

    /// <summary>Names that hold credentials in Dapr components (redisPassword, accessKey, connectionString, sasToken, ...).</summary>
    public static bool IsSecretLike(string name) => SecretLikeName().IsMatch(name);

    private static IEnumerable<(string Name, int Index, JsonObject Item)> Items(JsonObject component)
        => (JsonText.At(component, "spec", "metadata") as JsonArray ?? new JsonArray())
            .Select((item, index) => (Item: item as JsonObject, Index: index))
            .Where(i => i.Item is not null)
            .Select(i => (JsonText.Of(i.Item!["name"]) ?? "", i.Index, i.Item!));

    [GeneratedRegex("(password|passwd|passphrase|secret|token|credential|connectionstring|sas|apikey|api-key|accesskey|accountkey|masterkey|privatekey|signingkey|clientkey|key$)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretLikeName();
}
