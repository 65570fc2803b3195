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
/// A view of one node of a <see cref="ManifestTree"/>, made when asked for: documents keep only their flat tree.
/// </summary>
internal sealed class ManifestNode
{
    private readonly ManifestTree _tree;
    private readonly int _index;

    // Made on first use and kept with this view: callers walk a collection's children more than once.
    private ManifestEntry[]? _entries;
    private ManifestNode[]? _items;

    public ManifestNode(ManifestTree tree, int index)
    {
        _tree = tree;
        _index = index;
    }

    /// <summary>The tree and index this is a view of, for code that walks many nodes (<see cref="ManifestJson"/>).</summary>
    internal ManifestTree Tree => _tree;

    internal int Index => _index;

    public ManifestNodeKind Kind => _tree[_index].Kind;

    public int Start => _tree[_index].Start;

    /// <summary>1-based line of <see cref="Start"/>.</summary>
    public int Line => _tree[_index].Line;

    /// <summary>1-based column of <see cref="Start"/>.</summary>
    public int Column => _tree[_index].Column;

    public int End => _tree[_index].End;

    /// <summary>For collections: written inline in brackets ([a, b], {k: v}) rather than one entry per line.</summary>
    public bool IsFlow => _tree[_index].IsFlow;

    public ScalarStyle Style => _tree[_index].Style;

    /// <summary>A scalar's text; null for collections and aliases.</summary>
    public string? Value => _tree.Value(_index);

    /// <summary>A mapping's keys and values in document order.</summary>
    public IReadOnlyList<ManifestEntry> Entries => _entries ??= Kind == ManifestNodeKind.Mapping
        ? Enumerable.Range(0, _tree[_index].ChildCount / 2).Select(i => new ManifestEntry(Child(2 * i), Child((2 * i) + 1))).ToArray()
        : Array.Empty<ManifestEntry>();

    /// <summary>A sequence's items.</summary>
    public IReadOnlyList<ManifestNode> Items => _items ??= Kind == ManifestNodeKind.Sequence
        ? Enumerable.Range(0, _tree[_index].ChildCount).Select(Child).ToArray()
        : Array.Empty<ManifestNode>();

    /// <summary>Item <paramref name="index"/> of a sequence without making the others; null past its end and for other kinds.</summary>
    public ManifestNode? Item(int index) => Kind == ManifestNodeKind.Sequence && index >= 0 && index < _tree[_index].ChildCount ? Child(index) : null;

    /// <summary>For an alias (*name): the anchored node it refers to.</summary>
    public ManifestNode? Target => Kind == ManifestNodeKind.Alias ? new ManifestNode(_tree, _tree[_index].Target) : null;

    /// <summary>A plain empty, ~ or null scalar.</summary>
    public bool IsNull => _tree.IsNull(_index);

    /// <inheritdoc cref="ManifestTree.IsMergeKey"/>
    public bool IsMergeKey => _tree.IsMergeKey(_index);

    /// <summary>The entry whose key is exactly <paramref name="key"/>, or null.</summary>
    public ManifestEntry? Entry(string key)
    {
        var position = Kind == ManifestNodeKind.Mapping ? _tree.KeyPosition(_index, key) : -1;
        return position < 0 ? null : new ManifestEntry(Child(position), Child(position + 1));
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

    /// <summary>
    /// The text of the scalar at <paramref name="path"/> from this node, as the JSON view reads it: null when a step is
    /// missing or the scalar is null (empty, ~, null); also null for a collection or an alias there.
    /// </summary>
    public string? ScalarText(params string[] path) => Find(path)?.Value is { Kind: ManifestNodeKind.Scalar, IsNull: false } value ? value.Value : null;

    private ManifestNode Child(int i) => new(_tree, _tree.Child(_index, i));
}

internal readonly record struct ManifestEntry(ManifestNode Key, ManifestNode Value);
