using System.Runtime.InteropServices;
using YamlDotNet.Core;

namespace DaprSecurity.Engine.Manifests;

/// <summary>
/// Builds one document's <see cref="ManifestTree"/> for a reader that walks the YAML in order (YamlDotNet's events or
/// its scanner's tokens), and records what Kubernetes would reject or read differently: keys written twice, merge keys.
/// A reader opens a collection, adds each item (or each key, then its value) between <c>Enter</c> and <c>Add</c>, and
/// closes it.
/// </summary>
internal sealed class ManifestTreeBuilder
{
    /// <summary>Deeper nesting than any manifest needs; stops a hostile file from exhausting the stack.</summary>
    public const int MaxDepth = 256;

    // What building a document needs besides the tree, kept for the next document on the same thread (one is built
    // at a time on a thread): a scan of thousands of small files would otherwise make these anew, and grow them, for each.
    [ThreadStatic]
    private static Room? t_room;

    private readonly ManifestTree _tree;
    private readonly Room _room;

    // The keys and item indexes from the root to the node being read; joined into a path only for a duplicate key.
    private readonly List<(int? Key, int Index)> _steps;

    // The children of the collections being read, innermost last: one list for the whole document, not one per
    // collection (a mapping's keys and values alternate).
    private readonly List<int> _children;

    // Most documents have no anchors: the table is created on first use.
    private Dictionary<string, int>? _anchors;

    public ManifestTreeBuilder(string text)
    {
        // A reader that gave up on its last document left its lists as they were.
        _room = t_room ??= new Room();
        (_steps, _children) = (_room.Steps, _room.Children);
        _steps.Clear();
        _children.Clear();
        _tree = new ManifestTree(text, _room.Nodes, _room.TreeChildren);
    }

    public List<DuplicateKey>? Duplicates { get; private set; }

    public bool HasMergeKeys { get; private set; }

    public bool HasAliases { get; private set; }

    /// <summary>The document, once its root is built.</summary>
    public ManifestDocument Document(int index, int root)
    {
        (_room.Nodes, _room.TreeChildren) = _tree.Seal();
        return new ManifestDocument(index, new ManifestNode(_tree, root), Duplicates ?? (IReadOnlyList<DuplicateKey>)Array.Empty<DuplicateKey>()) { HasMergeKeys = HasMergeKeys, HasAliases = HasAliases };
    }

    public int Scalar(Mark start, Mark end, ScalarStyle style, string value) => _tree.AddScalar(start, end, style, value);

    /// <summary>A plain scalar on one line: its text is the file's characters between its marks.</summary>
    public int Plain(Mark start, Mark end) => _tree.AddSlice(start, end, ScalarStyle.Plain);

    /// <summary>The empty plain scalar YAML reads where a key or value is left out.</summary>
    public int Empty(Mark at) => _tree.AddScalar(at, at, ScalarStyle.Plain, "");

    public int Alias(Mark start, Mark end, string anchor)
    {
        HasAliases = true;
        return _anchors?.TryGetValue(anchor, out var target) == true
            ? _tree.AddAlias(start, end, target)
            : throw new YamlException(start, end, $"alias *{anchor} refers to no anchor");
    }

    public int Anchor(string anchor, int node)
    {
        (_anchors ??= new(StringComparer.Ordinal))[anchor] = node;
        return node;
    }

    /// <summary>Starts a collection; the value is what its other calls take as <c>first</c>.</summary>
    public int Open() => _children.Count;

    /// <summary>Before reading an item of the sequence opened at <paramref name="first"/>.</summary>
    public void EnterItem(int first) => _steps.Add((null, _children.Count - first));

    public void AddItem(int item)
    {
        _children.Add(item);
        _steps.RemoveAt(_steps.Count - 1);
    }

    /// <summary>Before reading the value of <paramref name="key"/> in the mapping opened at <paramref name="first"/>.</summary>
    public void EnterValue(int first, int key, ref HashSet<string>? keys)
    {
        _steps.Add((key, 0));
        if (_tree[key].Kind == ManifestNodeKind.Scalar && !IsNewKey(first, key, ref keys))
        {
            (Duplicates ??= new()).Add(new DuplicateKey(CurrentPath(), _tree[key].Line));
        }

        HasMergeKeys |= _tree.IsMergeKey(key);
    }

    public void AddEntry(int key, int value)
    {
        _children.Add(key);
        _children.Add(value);
        _steps.RemoveAt(_steps.Count - 1);
    }

    /// <summary>
    /// Adds the collection opened at <paramref name="first"/>, taking its children off the shared list. A flow
    /// collection ends after its closing bracket at <paramref name="closing"/>; a block one where its last child ends.
    /// </summary>
    public int Close(ManifestNodeKind kind, Mark start, int first, Mark? closing)
    {
        var children = CollectionsMarshal.AsSpan(_children)[first..];
        var end = closing is { } bracket ? (int)bracket.Index + 1 : children.Length > 0 ? _tree[children[^1]].End : (int)start.Index;
        var added = _tree.AddCollection(kind, start, end, closing is not null, children);
        _children.RemoveRange(first, _children.Count - first);
        return added;
    }

    /// <summary>Most mappings are small: a linear look at their keys beats building a set for each.</summary>
    private bool IsNewKey(int first, int key, ref HashSet<string>? keys)
    {
        const int SetFrom = 16;
        if (keys is null && (_children.Count - first) / 2 < SetFrom)
        {
            var text = _tree.ValueSpan(key);
            for (var i = first; i < _children.Count; i += 2)
            {
                if (_tree.ValueIs(_children[i], text))
                {
                    return false;
                }
            }

            return true;
        }

        keys ??= Enumerable.Range(0, (_children.Count - first) / 2).Select(i => _tree.Value(_children[first + (2 * i)])).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return keys.Add(_tree.Value(key)!);
    }

    /// <summary>"spec.containers[0].name": the keys and item indexes down to the current node.</summary>
    private string CurrentPath()
    {
        var path = new System.Text.StringBuilder();
        foreach (var (key, index) in _steps)
        {
            if (key is { } k)
            {
                var name = _tree.Value(k) ?? "?";
                path.Append(path.Length == 0 ? name : "." + name);
            }
            else
            {
                path.Append('[').Append(index).Append(']');
            }
        }

        return path.ToString();
    }

    private sealed class Room
    {
        public ManifestTree.Node[] Nodes { get; set; } = new ManifestTree.Node[256];

        public int[] TreeChildren { get; set; } = new int[256];

        public List<(int? Key, int Index)> Steps { get; } = new();

        public List<int> Children { get; } = new();
    }
}
