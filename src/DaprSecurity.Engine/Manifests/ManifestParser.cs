using System.Runtime.InteropServices;
using DaprSecurity.Abstractions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace DaprSecurity.Engine.Manifests;

/// <summary>
/// Parses a YAML stream with YamlDotNet's parser into <see cref="ManifestNode"/> trees that keep every node's
/// position. Unlike YamlDotNet's representation model it records duplicate keys instead of failing the whole file.
/// </summary>
internal static class ManifestParser
{
    /// <summary>Deeper nesting than any manifest needs; stops a hostile file from exhausting the stack.</summary>
    private const int MaxDepth = 256;

    /// <summary>Every document of <paramref name="text"/>; a syntax error is a ManifestInvalidYaml error naming file, line and column.</summary>
    public static IReadOnlyList<ManifestDocument> Parse(string text, string path)
    {
        var parser = new Parser(new StringReader(text));
        var documents = new List<ManifestDocument>();
        var last = Mark.Empty;
        try
        {
            parser.Consume<StreamStart>();
            while (!parser.TryConsume<StreamEnd>(out _))
            {
                var start = parser.Consume<DocumentStart>();
                last = start.Start;
                var builder = new TreeBuilder(parser, text);
                var root = parser.Accept<DocumentEnd>(out _) ? null : builder.ReadRoot();
                parser.Consume<DocumentEnd>();
                documents.Add(new ManifestDocument(documents.Count, root, builder.Duplicates ?? (IReadOnlyList<DuplicateKey>)Array.Empty<DuplicateKey>()) { HasMergeKeys = builder.HasMergeKeys });
            }
        }
        catch (YamlException e)
        {
            // The inner exception carries the position the message names, for readers that report it as a line of their own.
            var at = e.Message.Contains("tab", StringComparison.Ordinal) ? FirstTabIndent(text) ?? ProblemAt(e) : ProblemAt(e);
            throw Invalid(path, at, e.Message, new YamlException(at, at, e.Message, e));
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet throws this instead of a YamlException for some unterminated flow collections.
            throw Invalid(path, last, "unexpected end of a bracketed list or mapping", e);
        }

        return documents;
    }

    /// <summary>
    /// Where the problem is: the scanner's errors ("While scanning a mapping, found invalid tab") start at the construct
    /// it was reading and end at the offending character, which is what the author must fix; the parser's start there.
    /// </summary>
    private static Mark ProblemAt(YamlException error) => error is SyntaxErrorException ? error.End : error.Start;

    /// <summary>The first tab in a line's indentation (YamlDotNet points at the start of the mapping instead).</summary>
    private static Mark? FirstTabIndent(string text)
    {
        var line = 1;
        for (var start = 0; start < text.Length; line++)
        {
            var end = text.IndexOf('\n', start) is var newline and >= 0 ? newline : text.Length;
            var indent = text.AsSpan(start, end - start).IndexOfAnyExcept(' ', '\t');
            var tab = text.AsSpan(start, indent < 0 ? end - start : indent).IndexOf('\t');
            if (tab >= 0)
            {
                return new Mark(start + tab, line, tab + 1);
            }

            start = end + 1;
        }

        return null;
    }

    private static DaprSecurityException Invalid(string path, Mark at, string reason, Exception inner) => DaprErrors.ManifestInvalidYaml.Raise(
        $"{path}:{at.Line}:{at.Column}: not valid YAML: {reason}",
        path,
        inner,
        "Fix the YAML (kubectl apply would reject it too). A Helm or other template must be rendered first.");

    private sealed class TreeBuilder
    {
        private readonly IParser _parser;
        private readonly ManifestTree _tree;

        // Most documents have no anchors and no duplicate keys: both are created on first use.
        private Dictionary<string, int>? _anchors;

        // The keys and item indexes from the root to the node being read; joined into a path only for a duplicate key.
        private readonly List<(int? Key, int Index)> _steps = new();

        // The children of the collections being read, innermost last: one list for the whole document, not one per
        // collection (a mapping's keys and values alternate).
        private readonly List<int> _children = new();

        public TreeBuilder(IParser parser, string text)
        {
            _parser = parser;
            _tree = new ManifestTree(text);
        }

        public List<DuplicateKey>? Duplicates { get; private set; }

        public bool HasMergeKeys { get; private set; }

        public ManifestNode ReadRoot()
        {
            var root = Read(0);
            _tree.Seal();
            return new ManifestNode(_tree, root);
        }

        private int Read(int depth)
        {
            var current = _parser.Current ?? throw new YamlException("unexpected end of the document");
            if (depth > MaxDepth)
            {
                throw new YamlException(current.Start, current.End, $"nested more than {MaxDepth} levels deep");
            }

            return current switch
            {
                Scalar scalar => Anchor(scalar, ReadScalar(scalar)),
                AnchorAlias alias => ReadAlias(alias),
                SequenceStart sequence => Anchor(sequence, ReadSequence(sequence, depth)),
                MappingStart mapping => Anchor(mapping, ReadMapping(mapping, depth)),
                _ => throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}"),
            };
        }

        private int ReadScalar(Scalar scalar)
        {
            _parser.MoveNext();
            return _tree.AddScalar(scalar.Start, scalar.End, scalar.Style, scalar.Value);
        }

        private int ReadAlias(AnchorAlias alias)
        {
            _parser.MoveNext();
            return _anchors?.TryGetValue(alias.Value.Value, out var target) == true
                ? _tree.AddAlias(alias.Start, alias.End, target)
                : throw new YamlException(alias.Start, alias.End, $"alias *{alias.Value.Value} refers to no anchor");
        }

        private int ReadSequence(SequenceStart start, int depth)
        {
            _parser.MoveNext();
            var first = _children.Count;
            while (!_parser.Accept<SequenceEnd>(out _))
            {
                _steps.Add((null, _children.Count - first));
                var item = Read(depth + 1);
                _children.Add(item);
                _steps.RemoveAt(_steps.Count - 1);
            }

            return Close(ManifestNodeKind.Sequence, start, start.Style == SequenceStyle.Flow, first);
        }

        private int ReadMapping(MappingStart start, int depth)
        {
            _parser.MoveNext();
            var first = _children.Count;
            HashSet<string>? keys = null;
            while (!_parser.Accept<MappingEnd>(out _))
            {
                var key = Read(depth + 1);
                _steps.Add((key, 0));
                if (_tree[key].Kind == ManifestNodeKind.Scalar && !IsNewKey(first, key, ref keys))
                {
                    (Duplicates ??= new()).Add(new DuplicateKey(CurrentPath(), _tree[key].Line));
                }

                HasMergeKeys |= _tree.IsMergeKey(key);

                var value = Read(depth + 1);
                _children.Add(key);
                _children.Add(value);
                _steps.RemoveAt(_steps.Count - 1);
            }

            return Close(ManifestNodeKind.Mapping, start, start.Style == MappingStyle.Flow, first);
        }

        /// <summary>
        /// Consumes the collection's end event and adds the collection with the children read since
        /// <paramref name="first"/>, taking them off the shared list. A flow collection ends after its closing bracket
        /// (the event marks the bracket itself); a block collection ends where its last child ends.
        /// </summary>
        private int Close(ManifestNodeKind kind, NodeEvent start, bool flow, int first)
        {
            var closing = _parser.Current!;
            _parser.MoveNext();
            var children = CollectionsMarshal.AsSpan(_children)[first..];
            var end = flow ? (int)closing.Start.Index + 1 : children.Length > 0 ? _tree[children[^1]].End : (int)start.Start.Index;
            var added = _tree.AddCollection(kind, start.Start, end, flow, children);
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

        private int Anchor(NodeEvent node, int built)
        {
            if (!node.Anchor.IsEmpty)
            {
                (_anchors ??= new(StringComparer.Ordinal))[node.Anchor.Value] = built;
            }

            return built;
        }
    }
}
