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
                var builder = new TreeBuilder(parser);
                var root = parser.Accept<DocumentEnd>(out _) ? null : builder.Read(0);
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
        // Most documents have no anchors and no duplicate keys: both are created on first use.
        private Dictionary<string, ManifestNode>? _anchors;

        // The keys and item indexes from the root to the node being read; joined into a path only for a duplicate key.
        private readonly List<(ManifestNode? Key, int Index)> _steps = new();

        // The children of the collections being read, innermost last: one list for the whole document, not one per collection.
        private readonly List<ManifestEntry> _entries = new();
        private readonly List<ManifestNode> _items = new();

        public TreeBuilder(IParser parser) => _parser = parser;

        public List<DuplicateKey>? Duplicates { get; private set; }

        public bool HasMergeKeys { get; private set; }

        public ManifestNode Read(int depth)
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

        private ManifestNode ReadScalar(Scalar scalar)
        {
            _parser.MoveNext();
            return new ManifestNode(ManifestNodeKind.Scalar, scalar.Start) { End = (int)scalar.End.Index, Style = scalar.Style, Value = scalar.Value };
        }

        private ManifestNode ReadAlias(AnchorAlias alias)
        {
            _parser.MoveNext();
            var target = _anchors?.GetValueOrDefault(alias.Value.Value)
                ?? throw new YamlException(alias.Start, alias.End, $"alias *{alias.Value.Value} refers to no anchor");
            return new ManifestNode(ManifestNodeKind.Alias, alias.Start) { End = (int)alias.End.Index, Target = target };
        }

        private ManifestNode ReadSequence(SequenceStart start, int depth)
        {
            _parser.MoveNext();
            var first = _items.Count;
            while (!_parser.Accept<SequenceEnd>(out _))
            {
                _steps.Add((null, _items.Count - first));
                var item = Read(depth + 1);
                _items.Add(item);
                _steps.RemoveAt(_steps.Count - 1);
            }

            var items = Take(_items, first);
            var flow = start.Style == SequenceStyle.Flow;
            return new ManifestNode(ManifestNodeKind.Sequence, start.Start) { IsFlow = flow, Items = items, End = ClosingEnd(start, flow, items.LastOrDefault()) };
        }

        private ManifestNode ReadMapping(MappingStart start, int depth)
        {
            _parser.MoveNext();
            var first = _entries.Count;
            HashSet<string>? keys = null;
            while (!_parser.Accept<MappingEnd>(out _))
            {
                var key = Read(depth + 1);
                _steps.Add((key, 0));
                if (key.Kind == ManifestNodeKind.Scalar && !IsNewKey(first, key.Value ?? "", ref keys))
                {
                    (Duplicates ??= new()).Add(new DuplicateKey(CurrentPath(), key.Line));
                }

                HasMergeKeys |= ManifestJson.IsMergeKey(key);

                var value = Read(depth + 1);
                _entries.Add(new ManifestEntry(key, value));
                _steps.RemoveAt(_steps.Count - 1);
            }

            var entries = Take(_entries, first);
            var flow = start.Style == MappingStyle.Flow;
            return new ManifestNode(ManifestNodeKind.Mapping, start.Start) { IsFlow = flow, Entries = entries, End = ClosingEnd(start, flow, entries.Length > 0 ? entries[^1].Value : null) };
        }

        /// <summary>The children read since <paramref name="first"/>, as an exact-sized array, taken off the shared list.</summary>
        private static T[] Take<T>(List<T> children, int first)
        {
            var taken = CollectionsMarshal.AsSpan(children)[first..].ToArray();
            children.RemoveRange(first, children.Count - first);
            return taken;
        }

        /// <summary>Most mappings are small: a linear look at their keys beats building a set for each.</summary>
        private bool IsNewKey(int first, string key, ref HashSet<string>? keys)
        {
            const int SetFrom = 16;
            var read = CollectionsMarshal.AsSpan(_entries)[first..];
            if (keys is null && read.Length < SetFrom)
            {
                foreach (var entry in read)
                {
                    if (entry.Key.Kind == ManifestNodeKind.Scalar && entry.Key.Value == key)
                    {
                        return false;
                    }
                }

                return true;
            }

            keys ??= _entries.Skip(first).Where(e => e.Key.Kind == ManifestNodeKind.Scalar).Select(e => e.Key.Value ?? "").ToHashSet(StringComparer.Ordinal);
            return keys.Add(key);
        }

        /// <summary>"spec.containers[0].name": the keys and item indexes down to the current node.</summary>
        private string CurrentPath()
        {
            var path = new System.Text.StringBuilder();
            foreach (var (key, index) in _steps)
            {
                if (key is not null)
                {
                    path.Append(path.Length == 0 ? key.Value ?? "?" : "." + key.Value);
                }
                else
                {
                    path.Append('[').Append(index).Append(']');
                }
            }

            return path.ToString();
        }

        /// <summary>
        /// Consumes the collection's end event. A flow collection ends after its closing bracket (the event marks the
        /// bracket itself); a block collection ends where its last child ends.
        /// </summary>
        private int ClosingEnd(NodeEvent start, bool flow, ManifestNode? last)
        {
            var end = _parser.Current!;
            _parser.MoveNext();
            return flow ? (int)end.Start.Index + 1 : last?.End ?? (int)start.Start.Index;
        }

        private ManifestNode Anchor(NodeEvent node, ManifestNode built)
        {
            if (!node.Anchor.IsEmpty)
            {
                (_anchors ??= new(StringComparer.Ordinal))[node.Anchor.Value] = built;
            }

            return built;
        }
    }
}
