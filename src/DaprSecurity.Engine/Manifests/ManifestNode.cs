using YamlDotNet.Core;

namespace DaprSecurity.Engine.Manifests;

internal enum ManifestNodeKind
{
    Scalar,
    Mapping,
    Sequence,
    Alias,
}

/// <summary>
/// One YAML node and where it sits in the file's text, so edits can splice exactly the characters they change.
/// <see cref="Start"/> is the first character of the node; <see cref="End"/> is the index just after its content
/// (after the closing bracket of a flow collection, after the last character of the last child of a block one).
/// </summary>
internal sealed class ManifestNode
{
    private static readonly HashSet<string> s_nullScalars = new(StringComparer.Ordinal) { "", "~", "null", "Null", "NULL" };

    // Created on first use: most nodes are scalars, and a file has many of them.
    private List<ManifestEntry>? _entries;
    private List<ManifestNode>? _items;

    public required ManifestNodeKind Kind { get; init; }

    public required Mark Start { get; init; }

    public int End { get; set; }

    /// <summary>For collections: written inline in brackets ([a, b], {k: v}) rather than one entry per line.</summary>
    public bool IsFlow { get; init; }

    public ScalarStyle Style { get; init; }

    public string? Value { get; init; }

    public List<ManifestEntry> Entries => _entries ??= new();

    public List<ManifestNode> Items => _items ??= new();

    /// <summary>For an alias (*name): the anchored node it refers to.</summary>
    public ManifestNode? Target { get; init; }

    /// <summary>1-based line of <see cref="Start"/>.</summary>
    public int Line => (int)Start.Line;

    /// <summary>A plain empty, ~ or null scalar.</summary>
    public bool IsNull => Kind == ManifestNodeKind.Scalar && Style == ScalarStyle.Plain && s_nullScalars.Contains(Value ?? "");

    /// <summary>The entry whose key is exactly <paramref name="key"/>, or null.</summary>
    public ManifestEntry? Entry(string key)
    {
        if (_entries is null)
        {
            return null;
        }

        foreach (var entry in _entries)
        {
            if (entry.Key.Kind == ManifestNodeKind.Scalar && entry.Key.Value == key)
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>Follows mapping keys from this node; null when a step is missing.</summary>
    public ManifestEntry? Find(IReadOnlyList<string> path)
    {
        ManifestEntry? entry = null;
        var node = this;
        foreach (var key in path)
        {
            entry = node?.Entry(key);
            node = entry?.Value;
        }

        return entry;
    }
}

internal sealed record ManifestEntry(ManifestNode Key, ManifestNode Value);
