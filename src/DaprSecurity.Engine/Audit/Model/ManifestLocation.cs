using DaprSecurity.Engine.Manifests;

namespace DaprSecurity.Engine.Audit.Model;

/// <summary>Where an object sits in a manifest file: the path relative to the scanned root and its YAML document.</summary>
internal sealed record ManifestLocation(string RelativePath, ManifestDocument Document)
{
    /// <summary>The object's own path in its document (items.[n] for an item of a kind: List), put before every path asked for.</summary>
    public IReadOnlyList<string> Prefix { get; init; } = Array.Empty<string>();

    /// <summary>
    /// The line and column of the deepest key of <paramref name="path"/> that exists (the document's start when
    /// none does). A segment "[n]" steps into item n of a list.
    /// </summary>
    public (int Line, int Column) Locate(IReadOnlyList<string>? path)
    {
        var node = Document.Root;
        var at = node is null ? (Document.Line, 1) : (node.Line, node.Column);
        foreach (var segment in Prefix.Concat(path ?? Array.Empty<string>()))
        {
            while (node?.Kind == ManifestNodeKind.Alias)
            {
                node = node.Target;
            }

            if (node?.Kind == ManifestNodeKind.Mapping && node.Entry(segment) is { } entry)
            {
                at = (entry.Key.Line, entry.Key.Column);
                node = entry.Value;
            }
            else if (segment.StartsWith('[') && int.TryParse(segment[1..^1], out var index) && node?.Item(index) is { } item)
            {
                node = item;
                at = (node.Line, node.Column);
            }
            else
            {
                break;
            }
        }

        return at;
    }
}
