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
                var root = parser.Accept<DocumentEnd>(out _) ? null : builder.Read("", 0);
                parser.Consume<DocumentEnd>();
                documents.Add(new ManifestDocument(documents.Count, root, builder.Duplicates));
            }
        }
        catch (YamlException e)
        {
            throw Invalid(path, e.Start, e.Message, e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet throws this instead of a YamlException for some unterminated flow collections.
            throw Invalid(path, last, "unexpected end of a bracketed list or mapping", e);
        }

        return documents;
    }

    private static DaprSecurityException Invalid(string path, Mark at, string reason, Exception inner) => DaprErrors.ManifestInvalidYaml.Raise(
        $"{path}:{at.Line}:{at.Column}: not valid YAML: {reason}",
        path,
        inner,
        "Fix the YAML (kubectl apply would reject it too). A Helm or other template must be rendered first.");

    private sealed class TreeBuilder
    {
        private readonly IParser _parser;
        private readonly Dictionary<string, ManifestNode> _anchors = new(StringComparer.Ordinal);

        public TreeBuilder(IParser parser) => _parser = parser;

        public List<DuplicateKey> Duplicates { get; } = new();

        public ManifestNode Read(string path, int depth)
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
                SequenceStart sequence => Anchor(sequence, ReadSequence(sequence, path, depth)),
                MappingStart mapping => Anchor(mapping, ReadMapping(mapping, path, depth)),
                _ => throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}"),
            };
        }

        private ManifestNode ReadScalar(Scalar scalar)
        {
            _parser.MoveNext();
            return new ManifestNode { Kind = ManifestNodeKind.Scalar, Start = scalar.Start, End = (int)scalar.End.Index, Style = scalar.Style, Value = scalar.Value };
        }

        private ManifestNode ReadAlias(AnchorAlias alias)
        {
            _parser.MoveNext();
            var target = _anchors.GetValueOrDefault(alias.Value.Value)
                ?? throw new YamlException(alias.Start, alias.End, $"alias *{alias.Value.Value} refers to no anchor");
            return new ManifestNode { Kind = ManifestNodeKind.Alias, Start = alias.Start, End = (int)alias.End.Index, Target = target };
        }

        private ManifestNode ReadSequence(SequenceStart start, string path, int depth)
        {
            _parser.MoveNext();
            var node = new ManifestNode { Kind = ManifestNodeKind.Sequence, Start = start.Start, IsFlow = start.Style == SequenceStyle.Flow };
            while (!_parser.Accept<SequenceEnd>(out _))
            {
                node.Items.Add(Read($"{path}[{node.Items.Count}]", depth + 1));
            }

            node.End = ClosingEnd(node, _parser);
            return node;
        }

        private ManifestNode ReadMapping(MappingStart start, string path, int depth)
        {
            _parser.MoveNext();
            var node = new ManifestNode { Kind = ManifestNodeKind.Mapping, Start = start.Start, IsFlow = start.Style == MappingStyle.Flow };
            var keys = new HashSet<string>(StringComparer.Ordinal);
            while (!_parser.Accept<MappingEnd>(out _))
            {
                var key = Read(path, depth + 1);
                var keyPath = path.Length == 0 ? key.Value ?? "?" : $"{path}.{key.Value}";
                if (key.Kind == ManifestNodeKind.Scalar && !keys.Add(key.Value ?? ""))
                {
                    Duplicates.Add(new DuplicateKey(keyPath, key.Line));
                }

                node.Entries.Add(new ManifestEntry(key, Read(keyPath, depth + 1)));
            }

            node.End = ClosingEnd(node, _parser);
            return node;
        }

        /// <summary>
        /// Consumes the collection's end event. A flow collection ends after its closing bracket (the event marks the
        /// bracket itself); a block collection ends where its last child ends.
        /// </summary>
        private static int ClosingEnd(ManifestNode node, IParser parser)
        {
            var end = parser.Current!;
            parser.MoveNext();
            if (node.IsFlow)
            {
                return (int)end.Start.Index + 1;
            }

            var last = node.Kind == ManifestNodeKind.Sequence ? node.Items.LastOrDefault() : node.Entries.LastOrDefault()?.Value;
            return last?.End ?? (int)node.Start.Index;
        }

        private ManifestNode Anchor(NodeEvent node, ManifestNode built)
        {
            if (!node.Anchor.IsEmpty)
            {
                _anchors[node.Anchor.Value] = built;
            }

            return built;
        }
    }
}
