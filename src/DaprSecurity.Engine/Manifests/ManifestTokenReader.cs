using YamlDotNet.Core;
using YamlDotNet.Core.Tokens;

namespace DaprSecurity.Engine.Manifests;

/// <summary>
/// Reads plain manifests straight from YamlDotNet's scanner, the fast path of <see cref="ManifestParser"/>: its
/// parser turns every key into an event that looks the key up in the process-wide string intern table, under one
/// lock, which was half of a -Path scan and kept parsing from running on more than one core at a time. This follows
/// the parser's own productions token by token, so the trees, marks and empty values are the ones it builds; anything
/// else (anchors, aliases, tags, directives, "..." ends, "?" keys in flow sequences, errors) makes it give up and
/// the parser reads the file instead, naming any error as it always has.
/// </summary>
internal sealed class ManifestTokenReader
{
    private readonly Scanner _scanner;
    private readonly string _text;
    private ManifestTreeBuilder _builder = null!;

    // The token looked at and not yet consumed, as the parser keeps it: the scanner moves on at every look.
    private Token? _current;

    private ManifestTokenReader(string text)
    {
        _text = text;
        _scanner = new Scanner(new StringReader(text));
    }

    /// <summary>Every document of <paramref name="text"/>, or null when YamlDotNet's parser must read it.</summary>
    public static IReadOnlyList<ManifestDocument>? TryRead(string text)
    {
        try
        {
            return new ManifestTokenReader(text).ReadStream();
        }
        catch (Exception e) when (e is NotPlainException or YamlException or InvalidOperationException)
        {
            return null;
        }
    }

    private List<ManifestDocument> ReadStream()
    {
        Take<StreamStart>();
        var documents = new List<ManifestDocument>();
        while (Current() is not StreamEnd)
        {
            _builder = new ManifestTreeBuilder(_text);
            documents.Add(_builder.Document(documents.Count, ReadRoot(first: documents.Count == 0)));

            // A document ends at the next "---" or at the end of the stream.
            if (Current() is not (DocumentStart or StreamEnd))
            {
                throw new NotPlainException();
            }
        }

        return documents;
    }

    /// <summary>An explicit document ("---") may be empty: then its root is an empty scalar where the scanner stands.</summary>
    private int ReadRoot(bool first)
    {
        switch (Current())
        {
            case DocumentStart:
                Skip();
                return Current() is DocumentStart or StreamEnd ? _builder.Empty(_scanner.CurrentPosition) : ReadNode(block: true, indentless: false, depth: 0);
            case not (VersionDirective or TagDirective or DocumentEnd) when first:
                return ReadNode(block: true, indentless: false, depth: 0);
            default:
                throw new NotPlainException();
        }
    }

    private int ReadNode(bool block, bool indentless, int depth)
    {
        if (depth > ManifestTreeBuilder.MaxDepth)
        {
            throw new NotPlainException();
        }

        switch (Current())
        {
            case Scalar scalar:
                Skip();
                return _builder.Scalar(scalar.Start, scalar.End, scalar.Style, scalar.Value);
            case BlockEntry entry when indentless:
                return ReadIndentlessSequence(entry.Start, depth);
            case FlowSequenceStart start:
                return ReadFlowSequence(start.Start, depth);
            case FlowMappingStart start:
                return ReadFlowMapping(start.Start, depth);
            case BlockSequenceStart start when block:
                return ReadBlockSequence(start.Start, depth);
            case BlockMappingStart start when block:
                return ReadBlockMapping(start.Start, depth);
            default:
                throw new NotPlainException();
        }
    }

    private int ReadBlockSequence(Mark start, int depth)
    {
        Skip();
        var first = _builder.Open();
        while (Current() is BlockEntry entry)
        {
            Skip();
            _builder.EnterItem(first);
            _builder.AddItem(Current() is BlockEntry or BlockEnd ? _builder.Empty(entry.End) : ReadNode(block: true, indentless: false, depth + 1));
        }

        Take<BlockEnd>();
        return _builder.Close(ManifestNodeKind.Sequence, start, first, closing: null);
    }

    /// <summary>"key:\n- item": items at the key's own indentation; the token after the last item is not the sequence's.</summary>
    private int ReadIndentlessSequence(Mark start, int depth)
    {
        var first = _builder.Open();
        while (Current() is BlockEntry entry)
        {
            Skip();
            _builder.EnterItem(first);
            _builder.AddItem(Current() is BlockEntry or Key or Value or BlockEnd ? _builder.Empty(entry.End) : ReadNode(block: true, indentless: false, depth + 1));
        }

        return _builder.Close(ManifestNodeKind.Sequence, start, first, closing: null);
    }

    private int ReadBlockMapping(Mark start, int depth)
    {
        Skip();
        var first = _builder.Open();
        HashSet<string>? keys = null;
        while (Current() is Key marker)
        {
            Skip();
            var key = Current() is Key or Value or BlockEnd ? _builder.Empty(marker.End) : ReadNode(block: true, indentless: true, depth + 1);
            _builder.EnterValue(first, key, ref keys);
            int value;
            if (Current() is Value colon)
            {
                Skip();
                value = Current() is Key or Value or BlockEnd ? _builder.Empty(colon.End) : ReadNode(block: true, indentless: true, depth + 1);
            }
            else
            {
                value = _builder.Empty(Current() is { } next and not Error ? next.Start : throw new NotPlainException());
            }

            _builder.AddEntry(key, value);
        }

        Take<BlockEnd>();
        return _builder.Close(ManifestNodeKind.Mapping, start, first, closing: null);
    }

    private int ReadFlowSequence(Mark start, int depth)
    {
        Skip();
        var first = _builder.Open();
        for (var count = 0; Current() is not FlowSequenceEnd; count++)
        {
            if (count > 0)
            {
                // Items are separated by commas; one may follow the last item.
                Take<FlowEntry>();
                if (Current() is FlowSequenceEnd)
                {
                    break;
                }
            }

            // "[a: 1]" (a mapping of one pair inside a sequence) is the parser's to read.
            if (Current() is Key)
            {
                throw new NotPlainException();
            }

            _builder.EnterItem(first);
            _builder.AddItem(ReadNode(block: false, indentless: false, depth + 1));
        }

        var closing = Take<FlowSequenceEnd>();

        // The parser looks at the next token here, and fails on an error there.
        return Current() is Error ? throw new NotPlainException() : _builder.Close(ManifestNodeKind.Sequence, start, first, closing.Start);
    }

    private int ReadFlowMapping(Mark start, int depth)
    {
        Skip();
        var first = _builder.Open();
        HashSet<string>? keys = null;
        for (var count = 0; Current() is not FlowMappingEnd; count++)
        {
            if (count > 0)
            {
                Take<FlowEntry>();
                if (Current() is FlowMappingEnd)
                {
                    break;
                }
            }

            // "{a, b}" (keys without a colon) is the parser's to read.
            Take<Key>();
            var key = Current() is { } next and (Value or FlowEntry or FlowMappingEnd) ? _builder.Empty(next.Start) : ReadNode(block: false, indentless: false, depth + 1);
            _builder.EnterValue(first, key, ref keys);
            if (Current() is not Value)
            {
                throw new NotPlainException();
            }

            Skip();
            _builder.AddEntry(key, Current() is { } after and (FlowEntry or FlowMappingEnd) ? _builder.Empty(after.Start) : ReadNode(block: false, indentless: false, depth + 1));
        }

        var closing = Take<FlowMappingEnd>();
        return _builder.Close(ManifestNodeKind.Mapping, start, first, closing.Start);
    }

    private Token? Current() => _current ??= _scanner.MoveNextWithoutConsuming() ? _scanner.Current : null;

    private void Skip()
    {
        _current = null;
        _scanner.ConsumeCurrent();
    }

    /// <summary>Consumes a token that must be a <typeparamref name="T"/>.</summary>
    private T Take<T>()
        where T : Token
    {
        var token = Current() as T ?? throw new NotPlainException();
        Skip();
        return token;
    }

    /// <summary>The text uses YAML this reader leaves to the parser.</summary>
    private sealed class NotPlainException : Exception
    {
    }
}
