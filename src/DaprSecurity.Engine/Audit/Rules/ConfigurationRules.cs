using System.Text.Json.Nodes;
using DaprSecurity.Engine.Audit.Model;
using DaprSecurity.Engine.Dapr;
using DaprSecurity.Engine.Scopes;
using DaprSecurity.Engine.Text;

namespace DaprSecurity.Engine.Audit.Rules;

/// <summary>What each Dapr app's Configuration (dapr.io/config) lets others do to it.</summary>
internal static class ConfigurationRules
{
    /// <summary>DAPR-CONFIG-001: service invocation of the app open to every app (no access control policies, default allow).</summary>
    public static IEnumerable<RuleFinding> InvocationRestricted(AuditSnapshot snapshot)
        => DaprApps.Of(snapshot).Select(app =>
        {
            var (name, configuration, at) = ConfigurationOf(app, snapshot);
            if (configuration is null)
            {
                return RuleFinding.Fail(app.Resource, Missing(name) + " so every app may invoke it (no accessControl).", at);
            }

            var policies = (JsonText.At(configuration.Json, "spec", "accessControl", "policies") as JsonArray)?.Count ?? 0;
            var defaultAction = new ConfigurationDocument(configuration.Json).InvocationDefaultAction;
            return defaultAction == "allow" && policies == 0
                ? RuleFinding.Fail(app.Resource, $"Configuration '{name}' lets every app invoke it: spec.accessControl.defaultAction is allow (or missing) and there are no policies.", at)
                : RuleFinding.Pass(app.Resource, $"Configuration '{name}': default action {defaultAction}, {policies} {(policies == 1 ? "policy" : "policies")}.", at);
        });

    /// <summary>DAPR-CONFIG-002 (Info): an API allow list (spec.api.allowed) limits what a compromised app can ask its sidecar for.</summary>
    public static IEnumerable<RuleFinding> ApiAllowList(AuditSnapshot snapshot)
        => DaprApps.Of(snapshot).Select(app =>
        {
            var (name, configuration, at) = ConfigurationOf(app, snapshot);
            var allowed = (JsonText.At(configuration?.Json, "spec", "api", "allowed") as JsonArray)?.Count ?? 0;
            return allowed > 0
                ? RuleFinding.Pass(app.Resource, $"Configuration '{name}' allows {allowed} Dapr API{(allowed == 1 ? "" : "s")} (spec.api.allowed).", at)
                : RuleFinding.Fail(app.Resource, configuration is null ? Missing(name) + " so every Dapr API is open to it." : $"Configuration '{name}' has no spec.api.allowed: every Dapr API is open to the app.", at);
        });

    private static (string? Name, AuditDocument? Configuration, IReadOnlyList<string> At) ConfigurationOf(AuditWorkload app, AuditSnapshot snapshot)
    {
        var name = app.Annotation(DaprAnnotations.Config);
        return (name, snapshot.Configuration(app.Resource.Namespace, name), name is null ? app.AnnotationsPath : app.AnnotationPath(DaprAnnotations.Config));
    }

    private static string Missing(string? name)
        => name is null ? $"The app has no Configuration ({DaprAnnotations.Config})," : $"Configuration '{name}' ({DaprAnnotations.Config}) was not found,";
}
