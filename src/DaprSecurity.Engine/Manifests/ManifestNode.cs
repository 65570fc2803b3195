using YamlDotNet.Core;

namespace DaprSecurity.Engine.Manifests;

internal enum ManifestNodeKind : byte
{
    Scalar,
    Mapping,
    Sequence,
    Alias,
}

/// <summary>
/// One YAML node and where it sits in the file's text, so edits can splice exactly the characters they change.
/// <see cref="Start"/> is the index of the node's first character; <see cref="End"/> is the index just after its
/// content (after the closing bracket of a flow collection, after the last character of the last child of a block one).
/// Positions are plain numbers rather than YamlDotNet's Mark objects: a scan keeps hundreds of thousands of nodes.
/// </summary>
internal sealed class ManifestNode
{
    private static readonly HashSet<string> s_nullScalars = new(StringComparer.Ordinal) { "", "~", "null", "Null", "NULL" };

    // Exact-sized arrays set once by the parser, entries stored inline: a scan keeps every node of every file, and
    // the garbage collector's cost grows with the number of objects it keeps.
    private ManifestEntry[] _entries = Array.Empty<ManifestEntry>();
    private ManifestNode[] _items = Array.Empty<ManifestNode>();

    public ManifestNode(ManifestNodeKind kind, Mark start)
    {
        Kind = kind;
        Start = (int)start.Index;
        Line = (int)start.Line;
        Column = (int)start.Column;
    }

    public ManifestNodeKind Kind { get; }

    public int Start { get; }

    /// <summary>1-based line of <see cref="Start"/>.</summary>
    public int Line { get; }

    /// <summary>1-based column of <see cref="Start"/>.</summary>
    public int Column { get; }

    public int End { get; init; }

    /// <summary>For collections: written inline in brackets ([a, b], {k: v}) rather than one entry per line.</summary>
    public bool IsFlow { get; init; }

    public ScalarStyle Style { get; init; }

    public string? Value { get; init; }

    /// <summary>A mapping's keys and values in document order.</summary>
    public IReadOnlyList<ManifestEntry> Entries
    {
        get => _entries;
        init => _entries = value as ManifestEntry[] ?? value.ToArray();
    }

    /// <summary>A sequence's items.</summary>
    public IReadOnlyList<ManifestNode> Items
    {
        get => _items;
        init => _items = value as ManifestNode[] ?? value.ToArray();
    }

    /// <summary>For an alias (*name): the anchored node it refers to.</summary>
    public ManifestNode? Target { get; init; }

    /// <summary>A plain empty, ~ or null scalar.</summary>
    public bool IsNull => Kind == ManifestNodeKind.Scalar && Style == ScalarStyle.Plain && s_nullScalars.Contains(Value ?? "");

    /// <summary>The entry whose key is exactly <paramref name="key"/>, or null.</summary>
    public ManifestEntry? Entry(string key)
    {
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

internal readonly record struct ManifestEntry(ManifestNode Key, ManifestNode Value);
