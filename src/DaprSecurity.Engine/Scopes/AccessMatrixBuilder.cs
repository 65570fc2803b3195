using DaprSecurity.Output;

namespace DaprSecurity.Engine.Scopes;

/// <summary>A component with where it was read from ("cluster" or "file:line").</summary>
internal sealed record SourcedComponent(ComponentDocument Component, string Source);

/// <summary>
/// Computes, for one namespace, whether each app loads each component and why (scopes, then its Configuration's
/// component deny list), and what it may do there: topics on pub/sub components, secrets on secret stores.
/// </summary>
internal static class AccessMatrixBuilder
{
    public static IEnumerable<DaprAccessEntry> Build(
        string @namespace,
        IEnumerable<DaprApp> apps,
        IReadOnlyList<SourcedComponent> components,
        IReadOnlyDictionary<string, ConfigurationDocument> configurations)
    {
        foreach (var app in apps.OrderBy(a => a.AppId, StringComparer.Ordinal))
        {
            var configuration = app.Configuration is null ? null : configurations.GetValueOrDefault(app.Configuration);
            var missing = app.Configuration is not null && configuration is null;
            foreach (var (component, source) in components.OrderBy(c => c.Component.Name, StringComparer.Ordinal))
            {
                yield return Entry(@namespace, app, component, source, configuration, missing);
            }
        }
    }

    private static DaprAccessEntry Entry(string @namespace, DaprApp app, ComponentDocument component, string source, ConfigurationDocument? configuration, bool configurationMissing)
    {
        var reason = !component.IsScoped ? DaprAccessReason.Unscoped
            : component.Admits(app.AppId) ? DaprAccessReason.Listed
            : DaprAccessReason.NotListed;
        if (reason != DaprAccessReason.NotListed && configuration?.Denies(component) == true)
        {
            reason = DaprAccessReason.DeniedByConfiguration;
        }

        var access = reason is DaprAccessReason.Unscoped or DaprAccessReason.Listed;
        var topics = access ? PubSubTopicRules.From(component) : null;
        var (publish, subscribe) = (topics?.Publish(app.AppId), topics?.Subscribe(app.AppId));
        var secrets = access && component.Type.StartsWith("secretstores.", StringComparison.Ordinal)
            ? configuration?.SecretScopes.GetValueOrDefault(component.Name) ?? new DaprSecretAccess()
            : null;
        var detail = new List<string>();
        if (reason == DaprAccessReason.NotListed)
        {
            detail.Add("scopes: " + string.Join(", ", component.Scopes));
        }

        if (reason == DaprAccessReason.DeniedByConfiguration)
        {
            detail.Add($"Configuration '{app.Configuration}' denies {component.Type}/{component.Version}");
        }

        if (publish is not null)
        {
            detail.Add($"publish: {publish}; subscribe: {subscribe}");
        }

        if (secrets is not null)
        {
            detail.Add("secrets: " + secrets);
        }

        if (configurationMissing)
        {
            detail.Add($"Configuration '{app.Configuration}' not found");
        }

        return new DaprAccessEntry
        {
            Namespace = @namespace,
            AppId = app.AppId,
            Component = component.Name,
            ComponentType = component.Type,
            Access = access,
            Reason = reason,
            Detail = string.Join("; ", detail),
            Publish = publish,
            Subscribe = subscribe,
            SecretAccess = secrets,
            Configuration = app.Configuration,
            InvocationDefaultAction = configurationMissing ? null : configuration?.InvocationDefaultAction ?? "allow",
            ComponentSource = source,
        };
    }
}
