using System.Text.Json.Nodes;

namespace DaprSecurity.Engine.Audit.Model;

/// <summary>A Dapr custom resource (Component, Configuration) as JSON, whether read from a cluster or a manifest.</summary>
internal sealed record AuditDocument(AuditResource Resource, JsonObject Json);
