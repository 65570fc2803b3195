using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Manifests;

namespace DaprSecurity.Engine.Scopes;

/// <summary>What became of one component of a file edit: as the file now has it, or the error that left it unchanged.</summary>
internal sealed record ManifestEditOutcome(ComponentDocument? Component, ManifestDocument? Document, DaprSecurityException? Error);
