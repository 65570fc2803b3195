using DaprSecurity.Abstractions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace DaprSecurity.Engine.Manifests;

/// <summary>
/// Parses a YAML stream into <see cref="ManifestNode"/> trees that keep every node's position: with the plain reader,
/// else YamlDotNet's scanner tokens, else its parser (see <see cref="Parse"/>). Unlike YamlDotNet's representation
/// model it records duplicate keys instead of failing the whole file.
/// </summary>
internal static class ManifestParser
{
    /// <summary>
    /// Every document of <paramref name="text"/>; a syntax error is a ManifestInvalidYaml error naming file, line and
    /// column. Three readers build the same trees, fastest first, each giving up on what the next must read.
    /// </summary>
    public static IReadOnlyList<ManifestDocument> Parse(string text, string path)
        => ManifestPlainReader.TryRead(text) ?? ManifestTokenReader.TryRead(text) ?? ParseEvents(text, path);

    /// <summary>
    /// <see cref="Parse"/> from YamlDotNet's parser events, which read all of YAML and name each error; slower than the
    /// scanner's tokens (and in parallel not faster, as its events take a process-wide lock).
    /// </summary>
    internal static IReadOnlyList<ManifestDocument> ParseEvents(string text, string path)
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
                documents.Add(new EventReader(parser, text).ReadDocument(documents.Count));
                parser.Consume<DocumentEnd>();
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

    /// <summary>Reads one document from YamlDotNet's parser events: every construct YAML has.</summary>
    private sealed class EventReader
    {
        private readonly IParser _parser;
        private readonly ManifestTreeBuilder _builder;

        public EventReader(IParser parser, string text)
        {
            _parser = parser;
            _builder = new ManifestTreeBuilder(text);
        }

        public ManifestDocument ReadDocument(int index)
        {
            var root = _parser.Accept<DocumentEnd>(out _) ? (int?)null : Read(0);
            return root is { } built ? _builder.Document(index, built) : new ManifestDocument(index, null, Array.Empty<DuplicateKey>());
        }

        private int Read(int depth)
        {
            var current = _parser.Current ?? throw new YamlException("unexpected end of the document");
            if (depth > ManifestTreeBuilder.MaxDepth)
            {
                throw new YamlException(current.Start, current.End, $"nested more than {ManifestTreeBuilder.MaxDepth} levels deep");
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
            return _builder.Scalar(scalar.Start, scalar.End, scalar.Style, scalar.Value);
        }

        private int ReadAlias(AnchorAlias alias)
        {
            _parser.MoveNext();
            return _builder.Alias(alias.Start, alias.End, alias.Value.Value);
        }

        private int ReadSequence(SequenceStart start, int depth)
        {
            _parser.MoveNext();
            var first = _builder.Open();
            while (!_parser.Accept<SequenceEnd>(out _))
            {
                _builder.EnterItem(first);
                _builder.AddItem(Read(depth + 1));
            }

            return Close(ManifestNodeKind.Sequence, start, start.Style == SequenceStyle.Flow, first);
        }

        private int ReadMapping(MappingStart start, int depth)
        {
            _parser.MoveNext();
            var first = _builder.Open();
            HashSet<string>? keys = null;
            while (!_parser.Accept<MappingEnd>(out _))
            {
                var key = Read(depth + 1);
                _builder.EnterValue(first, key, ref keys);
                _builder.AddEntry(key, Read(depth + 1));
            }

            return Close(ManifestNodeKind.Mapping, start, start.Style == MappingStyle.Flow, first);
        }

        /// <summary>Consumes the collection's end event, which marks a flow collection's closing bracket.</summary>
        private int Close(ManifestNodeKind kind, NodeEvent start, bool flow, int first)
        {
            var closing = _parser.Current!;
            _parser.MoveNext();
            return _builder.Close(kind, start.Start, first, flow ? closing.Start : null);
        }

        private int Anchor(NodeEvent node, int built) => node.Anchor.IsEmpty ? built : _builder.Anchor(node.Anchor.Value, built);
    }
}
