using System.Collections.Concurrent;
using YamlDotNet.Core;

namespace DaprSecurity.Engine.Manifests;

/// <summary>
/// The nodes of one YAML document, stored flat: an array of node records, an array of child indexes and the file's
/// text, from which plain scalars are sliced when asked for. An audit keeps every document it reads until its rules
/// have run, and the garbage collector's cost grows with the number of objects kept: this is a handful of objects a
/// document, where a tree of node objects was one for every key, value and string. <see cref="ManifestNode"/> is the
/// view callers use.
/// </summary>
internal sealed class ManifestTree
{
    private readonly string _text;
    private Node[] _nodes;
    private int[] _children;
    private int _nodeCount;
    private int _childCount;

    // Large mappings' keys, indexed on first lookup: finding a line for each of 20,000 annotations would otherwise
    // read the whole mapping each time. Concurrent: results' lines may be asked for from two threads.
    private ConcurrentDictionary<int, Dictionary<string, int>>? _keyIndexes;

    /// <param name="text">The whole file (of which this is one document).</param>
    /// <param name="nodes">Room to build in, grown as needed, until <see cref="Seal"/>.</param>
    /// <param name="children">The same for child indexes.</param>
    public ManifestTree(string text, Node[] nodes, int[] children)
    {
        _text = text;
        _nodes = nodes;
        _children = children;
    }

    public ref readonly Node this[int index] => ref _nodes[index];

    /// <summary>How many nodes the document has.</summary>
    public int Count => _nodeCount;

    /// <summary>Child <paramref name="i"/> of a collection: items in order, or a mapping's keys and values alternating.</summary>
    public int Child(int node, int i) => _children[_nodes[node].FirstChild + i];

    /// <summary>
    /// The position among <paramref name="mapping"/>'s children of the first key that is exactly <paramref name="key"/>,
    /// or -1.
    /// </summary>
    public int KeyPosition(int mapping, string key)
    {
        const int IndexFrom = 32;
        var count = _nodes[mapping].ChildCount;
        if (count / 2 < IndexFrom)
        {
            for (var i = 0; i < count; i += 2)
            {
                if (ValueIs(Child(mapping, i), key))
                {
                    return i;
                }
            }

            return -1;
        }

        var index = LazyInitializer.EnsureInitialized(ref _keyIndexes).GetOrAdd(mapping, m =>
        {
            var keys = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < count; i += 2)
            {
                if (Value(Child(m, i)) is { } text)
                {
                    keys.TryAdd(text, i);
                }
            }

            return keys;
        });
        return index.TryGetValue(key, out var position) ? position : -1;
    }

    /// <summary>A scalar's text (YAML's value, after quotes and escapes); null for collections and aliases.</summary>
    public string? Value(int index)
    {
        ref readonly var node = ref _nodes[index];
        return node.Kind != ManifestNodeKind.Scalar ? null : node.Value ?? _text.Substring(node.Start, node.End - node.Start);
    }

    /// <summary>A scalar whose text is <paramref name="text"/>, compared without making a string.</summary>
    public bool ValueIs(int index, ReadOnlySpan<char> text) => _nodes[index].Kind == ManifestNodeKind.Scalar && ValueSpan(index).SequenceEqual(text);

    /// <summary>A scalar's text without making a string (empty for collections and aliases).</summary>
    public ReadOnlySpan<char> ValueSpan(int index)
    {
        ref readonly var node = ref _nodes[index];
        return node.Kind != ManifestNodeKind.Scalar ? default : node.Value ?? _text.AsSpan(node.Start, node.End - node.Start);
    }

    /// <summary>A plain empty, ~ or null scalar.</summary>
    public bool IsNull(int index) => _nodes[index] is { Kind: ManifestNodeKind.Scalar, Style: ScalarStyle.Plain } && ValueSpan(index) is "" or "~" or "null" or "Null" or "NULL";

    /// <summary>A plain &lt;&lt; key: a merge key to an object reader (a quoted one is an ordinary key).</summary>
    public bool IsMergeKey(int index) => _nodes[index].Style == ScalarStyle.Plain && ValueIs(index, "<<");

    /// <summary>Adds a scalar; its text is kept only when it is not the file's characters between its marks.</summary>
    public int AddScalar(Mark start, Mark end, ScalarStyle style, string value)
    {
        var (from, to) = ((int)start.Index, (int)end.Index);
        var sliced = to - from == value.Length && to <= _text.Length && _text.AsSpan(from, value.Length).SequenceEqual(value);
        return Add(new Node(ManifestNodeKind.Scalar, start, to) { Style = style, Value = sliced ? null : value });
    }

    /// <summary>Adds a scalar whose text is the file's characters between its marks (a plain scalar on one line).</summary>
    public int AddSlice(Mark start, Mark end, ScalarStyle style) => Add(new Node(ManifestNodeKind.Scalar, start, (int)end.Index) { Style = style });

    public int AddAlias(Mark start, Mark end, int target) => Add(new Node(ManifestNodeKind.Alias, start, (int)end.Index) { Target = target });

    /// <summary>Adds a collection whose children (already added) are <paramref name="children"/>.</summary>
    public int AddCollection(ManifestNodeKind kind, Mark start, int end, bool flow, ReadOnlySpan<int> children)
    {
        if (_childCount + children.Length > _children.Length)
        {
            Array.Resize(ref _children, Math.Max(_children.Length * 2, _childCount + children.Length));
        }

        children.CopyTo(_children.AsSpan(_childCount));
        var node = new Node(kind, start, end) { IsFlow = flow, FirstChild = _childCount, ChildCount = children.Length };
        _childCount += children.Length;
        return Add(node);
    }

    /// <summary>
    /// Once the document is read: keeps exactly its nodes and children, and gives back the room it was built in (grown
    /// as far as it had to be) for the next document.
    /// </summary>
    public (Node[] Nodes, int[] Children) Seal()
    {
        var room = (_nodes, _children);
        _nodes = _nodes[.._nodeCount];
        _children = _children[.._childCount];
        return room;
    }

    private int Add(Node node)
    {
        if (_nodeCount == _nodes.Length)
        {
            Array.Resize(ref _nodes, _nodes.Length * 2);
        }

        _nodes[_nodeCount] = node;
        return _nodeCount++;
    }

    /// <summary>One node: where it is in the text, and what it holds.</summary>
    public readonly struct Node
    {
        public Node(ManifestNodeKind kind, Mark start, int end)
        {
            Kind = kind;
            Start = (int)start.Index;
            Line = (int)start.Line;
            Column = (int)start.Column;
            End = end;
        }

        public ManifestNodeKind Kind { get; }

        public int Start { get; }

        public int Line { get; }

        public int Column { get; }

        public int End { get; }

        public bool IsFlow { get; init; }

        public ScalarStyle Style { get; init; }

        /// <summary>A scalar's text when it differs from the characters between its marks (quoted, escaped, folded).</summary>
        public string? Value { get; init; }

        public int FirstChild { get; init; }

        public int ChildCount { get; init; }

        /// <summary>For an alias: the index of the anchored node.</summary>
        public int Target { get; init; }
    }
}
