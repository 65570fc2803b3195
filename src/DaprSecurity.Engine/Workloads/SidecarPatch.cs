using System.Text.Json.Nodes;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Dapr;
using DaprSecurity.Engine.Tokens;
using DaprSecurity.Output;
using k8s;

namespace DaprSecurity.Engine.Workloads;

/// <summary>
/// The JSON merge patch that puts a <see cref="SidecarAnnotationRequest"/>'s settings on one workload's pod template, or
/// null when the template already has them (so an unchanged workload is not rolled). With MountTokenInApp the app
/// containers get the token env vars through <c>valueFrom.secretKeyRef</c> (not <c>envFrom</c>, which would name the
/// variable "token"); a merge patch replaces the whole containers list, so it then carries the resourceVersion read.
/// </summary>
public static class SidecarPatch
{
    /// <summary>The container the injector adds; app containers are all the others.</summary>
    private const string SidecarContainer = "daprd";

    public static JsonObject? For(Workload workload, SidecarAnnotationRequest request)
    {
        var annotations = new JsonObject();
        foreach (var (key, value) in Requested(request))
        {
            var current = workload.Annotation(key);
            if (value.Length == 0 && current is not null)
            {
                annotations[key] = null;
            }
            else if (value.Length > 0 && current != value)
            {
                annotations[key] = value;
            }
        }

        var containers = request.MountTokenInApp ? ContainersWithTokens(workload, request) : null;
        if (annotations.Count == 0 && containers is null)
        {
            return null;
        }

        var template = new JsonObject();
        if (annotations.Count > 0)
        {
            template["metadata"] = new JsonObject { ["annotations"] = annotations };
        }

        var patch = new JsonObject { ["spec"] = new JsonObject { ["template"] = template } };
        if (containers is not null)
        {
            template["spec"] = new JsonObject { ["containers"] = containers };
            patch["metadata"] = new JsonObject { ["resourceVersion"] = workload.ResourceVersion };
        }

        return patch;
    }

    /// <summary>"key=value" for each change, for WhatIf and verbose text.</summary>
    public static string Describe(SidecarAnnotationRequest request)
        => string.Join(", ", Requested(request).Select(r => r.Value.Length == 0 ? $"remove {r.Key}" : $"{r.Key}={r.Value}")
            .Concat(request.MountTokenInApp ? new[] { "token env vars in app containers" } : Array.Empty<string>()));

    private static IEnumerable<(string Key, string Value)> Requested(SidecarAnnotationRequest request)
    {
        var settings = new (string Key, string? Value)[]
        {
            (DaprAnnotations.AppTokenSecret, request.AppTokenSecret),
            (DaprAnnotations.ApiTokenSecret, request.ApiTokenSecret),
            (DaprAnnotations.ListenAddresses, request.ListenAddresses),
            (DaprAnnotations.EnableApiLogging, request.EnableApiLogging is { } on ? (on ? "true" : "false") : null),
        };
        return settings.Where(s => s.Value is not null).Select(s => (s.Key, s.Value!));
    }

    /// <summary>The full containers list with each app container reading the tokens from their secrets, or null when none changes.</summary>
    private static JsonArray? ContainersWithTokens(Workload workload, SidecarAnnotationRequest request)
    {
        var wanted = new[] { (Kind: DaprTokenKind.App, Secret: request.AppTokenSecret ?? workload.AppTokenSecret), (Kind: DaprTokenKind.Api, Secret: request.ApiTokenSecret ?? workload.ApiTokenSecret) }
            .Where(t => !string.IsNullOrEmpty(t.Secret))
            .Select(t => (Variable: TokenKinds.EnvironmentVariable(t.Kind), Secret: t.Secret!))
            .ToList();
        var containers = JsonNode.Parse(KubernetesJson.Serialize(workload.Template.Spec.Containers))!.AsArray();
        var changed = false;
        foreach (var container in containers.OfType<JsonObject>().Where(c => c["name"]?.GetValue<string>() != SidecarContainer))
        {
            var env = container["env"] as JsonArray ?? new JsonArray();
            container["env"] = env;
            foreach (var (variable, secret) in wanted)
            {
                var entry = new JsonObject
                {
                    ["name"] = variable,
                    ["valueFrom"] = new JsonObject { ["secretKeyRef"] = new JsonObject { ["name"] = secret, ["key"] = TokenKinds.SecretKey } },
                };
                var existing = env.OfType<JsonObject>().FirstOrDefault(e => e["name"]?.GetValue<string>() == variable);
                if (existing is not null && JsonNode.DeepEquals(Normalized(existing), entry))
                {
                    continue;
                }

                if (existing is not null)
                {
                    env.Remove(existing);
                }

                env.Add(entry);
                changed = true;
            }
        }

        return changed ? containers : null;
    }

    /// <summary>An env entry without the empty fields the serializer may add, to compare it with the one we would write.</summary>
    private static JsonObject Normalized(JsonObject entry) => new()
    {
        ["name"] = entry["name"]?.DeepClone(),
        ["valueFrom"] = entry["valueFrom"]?["secretKeyRef"] is JsonObject reference
            ? new JsonObject { ["secretKeyRef"] = new JsonObject { ["name"] = reference["name"]?.DeepClone(), ["key"] = reference["key"]?.DeepClone() } }
            : entry["valueFrom"]?.DeepClone(),
    };
}
