using System.Buffers;
using YamlDotNet.Core;

namespace DaprSecurity.Engine.Manifests;

/// <summary>
/// The first reader <see cref="ManifestParser"/> tries: the YAML nearly every manifest is written in, read straight
/// from the text line by line — block mappings and sequences indented with spaces, scalars on one line (plain, or
/// quoted without escapes), flow collections on one line, comments, documents between "---" lines. It builds the tree,
/// marks and empty values YamlDotNet builds (a test compares them over fixtures and generated text) at a fraction of
/// the cost: YamlDotNet's scanner alone made 17 KB of garbage for every 450-byte manifest, and with every document of
/// an audit kept until its rules ran, that garbage made the collector copy what was kept, again and again. Whatever
/// else it meets (block scalars, multi-line scalars, anchors, tags, escapes, tabs, errors) it gives up on, and the
/// next reader reads the text from the start.
/// </summary>
internal sealed class ManifestPlainReader
{
    // Characters YAML reads specially wherever they are, or that YamlDotNet rejects: tabs, control characters, the
    // Unicode line breaks, the byte order mark, surrogates, non-characters.
    private static readonly SearchValues<char> s_unsupported = SearchValues.Create(
        string.Concat(Enumerable.Range(0, 0x20).Where(c => c is not '\n' and not '\r').Concat(Enumerable.Range(0x7F, 0x21)).Concat(Enumerable.Range(0xD800, 0x800))
            .Concat(new[] { 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF }).Select(c => (char)c)));

    /// <summary>YamlDotNet's limit on a key written without "?" (a longer one is an error there).</summary>
    private const int MaxKeyLength = 1024;

    private readonly string _text;
    private ManifestTreeBuilder _builder = null!;

    // The line being read: where it starts, where its content ends (before "\r\n" or "\n"), its number, and where the
    // next one starts (-1 after the last).
    private int _lineStart;
    private int _lineEnd;
    private int _line;
    private int _nextLine;

    // Where reading is on that line; on a new line, its first character that is not a space, and its indentation.
    private int _pos;
    private int _indent;

    // No content line is left; or the line is a "---" between documents.
    private bool _atEnd;
    private bool _atSeparator;

    private ManifestPlainReader(string text) => _text = text;

    /// <summary>Every document of <paramref name="text"/>, or null when it is written in YAML this reader leaves to another.</summary>
    public static IReadOnlyList<ManifestDocument>? TryRead(string text)
    {
        if (text.AsSpan().IndexOfAny(s_unsupported) >= 0)
        {
            return null;
        }

        try
        {
            return new ManifestPlainReader(text).ReadStream();
        }
        catch (NotPlainException)
        {
            return null;
        }
    }

    private List<ManifestDocument> ReadStream()
    {
        var documents = new List<ManifestDocument>();
        NextContentLine();
        while (!_atEnd)
        {
            if (_atSeparator)
            {
                // An empty document's root is an empty scalar at a mark only YamlDotNet's scanner knows.
                NextContentLine();
                Require(!_atEnd && !_atSeparator);
            }
            else
            {
                // Content after the root that is not the next document's.
                Require(documents.Count == 0);
            }

            _builder = new ManifestTreeBuilder(_text);
            documents.Add(_builder.Document(documents.Count, ReadNode(parentIndent: -1, Place.Root, depth: 0)));
            Require(_atEnd || _atSeparator);
        }

        return documents;
    }

    /// <summary>Where a node starts, which decides what it may be.</summary>
    private enum Place
    {
        /// <summary>A document's root: anything.</summary>
        Root,

        /// <summary>On the lines below its key or dash: a block mapping or sequence (a scalar there is left to YamlDotNet).</summary>
        OwnLine,

        /// <summary>After "- " on the dash's line: anything, a mapping or sequence there being a compact one ("- name: x").</summary>
        Item,

        /// <summary>After "key: " on the key's line: a scalar or flow collection ("a: b: c" is an error).</summary>
        Value,
    }

    /// <summary>
    /// The node that starts where reading is. A scalar or flow collection must be the last thing on its line, and no
    /// line below it may be indented more than its parent (that would continue it over lines, or be an error).
    /// </summary>
    private int ReadNode(int parentIndent, Place place, int depth)
    {
        Require(depth <= ManifestTreeBuilder.MaxDepth);
        var column = _pos - _lineStart;
        if (AtSequenceEntry())
        {
            Require(place != Place.Value);
            return ReadBlockSequence(column, indentless: false, depth);
        }

        int node;
        if (_text[_pos] is '[' or '{')
        {
            node = ReadFlow(depth);
            SkipSpaces();
            Require(_pos >= _lineEnd || _text[_pos] != ':');
        }
        else
        {
            var (start, end, value, style) = ReadScalar(flow: false);
            if (AtKeyColon())
            {
                Require(place != Place.Value);
                return ReadBlockMapping(column, start, end, value, style, depth);
            }

            node = Scalar(start, end, value, style);
        }

        Require(place != Place.OwnLine);
        FinishLine();
        Require(_atEnd || _atSeparator || _indent <= parentIndent);
        return node;
    }

    private int ReadBlockSequence(int column, bool indentless, int depth)
    {
        var start = MarkAt(_pos);
        var first = _builder.Open();
        while (true)
        {
            var dashEnd = MarkAt(_pos + 1);
            _pos++;
            SkipSpaces();
            _builder.EnterItem(first);
            int item;
            if (AtLineEndOrComment())
            {
                NextContentLine();
                item = !_atEnd && !_atSeparator && _indent > column ? ReadOwnLine(column, depth + 1) : _builder.Empty(dashEnd);
            }
            else
            {
                item = ReadNode(column, Place.Item, depth + 1);
            }

            _builder.AddItem(item);
            if (_atEnd || _atSeparator || _indent < column)
            {
                break;
            }

            Require(_indent == column);
            if (!AtSequenceEntry())
            {
                // Below a key, the next key at the sequence's own indentation ends it; anywhere else that is an error.
                Require(indentless);
                break;
            }
        }

        return _builder.Close(ManifestNodeKind.Sequence, start, first, closing: null);
    }

    private int ReadBlockMapping(int column, Mark keyStart, Mark keyEnd, string? keyValue, ScalarStyle keyStyle, int depth)
    {
        var first = _builder.Open();
        HashSet<string>? keys = null;
        var key = Key(keyStart, keyEnd, keyValue, keyStyle);
        while (true)
        {
            var colonEnd = MarkAt(_pos + 1);
            _pos++;
            SkipSpaces();
            _builder.EnterValue(first, key, ref keys);
            int value;
            if (AtLineEndOrComment())
            {
                NextContentLine();
                var below = !_atEnd && !_atSeparator;
                value = below && _indent > column ? ReadOwnLine(column, depth + 1)
                    : below && _indent == column && AtSequenceEntry() ? ReadBlockSequence(column, indentless: true, depth + 1)
                    : _builder.Empty(colonEnd);
            }
            else
            {
                value = ReadNode(column, Place.Value, depth + 1);
            }

            _builder.AddEntry(key, value);
            if (_atEnd || _atSeparator || _indent < column)
            {
                break;
            }

            Require(_indent == column && !AtSequenceEntry());
            var (start, end, text, style) = ReadScalar(flow: false);
            Require(AtKeyColon());
            key = Key(start, end, text, style);
        }

        return _builder.Close(ManifestNodeKind.Mapping, keyStart, first, closing: null);
    }

    private int ReadOwnLine(int parentIndent, int depth) => ReadNode(parentIndent, Place.OwnLine, depth);

    /// <summary>A flow collection ("[a, b]", "{a: b}") that closes on the line it opens.</summary>
    private int ReadFlow(int depth)
    {
        Require(depth <= ManifestTreeBuilder.MaxDepth);
        var mapping = _text[_pos] == '{';
        var close = mapping ? '}' : ']';
        var start = MarkAt(_pos);
        _pos++;
        var first = _builder.Open();
        HashSet<string>? keys = null;
        for (var count = 0; ; count++)
        {
            SkipSpaces();
            Require(_pos < _lineEnd);
            if (_text[_pos] == close)
            {
                break;
            }

            if (count > 0)
            {
                // Entries are separated by commas; one may follow the last.
                Require(_text[_pos] == ',');
                _pos++;
                SkipSpaces();
                Require(_pos < _lineEnd);
                if (_text[_pos] == close)
                {
                    break;
                }
            }

            if (!mapping)
            {
                _builder.EnterItem(first);
                var item = ReadFlowNode(depth + 1);
                SkipSpaces();

                // "[a: 1]", a mapping of one pair inside a sequence, is YamlDotNet's to read.
                Require(_pos < _lineEnd && _text[_pos] != ':');
                _builder.AddItem(item);
                continue;
            }

            Require(_text[_pos] is not ('[' or '{'));
            var (keyStart, keyEnd, keyValue, keyStyle) = ReadScalar(flow: true);
            SkipSpaces();
            Require(AtKeyColon());
            var key = Key(keyStart, keyEnd, keyValue, keyStyle);
            _pos++;
            _builder.EnterValue(first, key, ref keys);
            SkipSpaces();
            Require(_pos < _lineEnd);
            _builder.AddEntry(key, _text[_pos] is ',' or '}' ? _builder.Empty(MarkAt(_pos)) : ReadFlowNode(depth + 1));
        }

        var closing = MarkAt(_pos);
        _pos++;
        return _builder.Close(mapping ? ManifestNodeKind.Mapping : ManifestNodeKind.Sequence, start, first, closing);
    }

    private int ReadFlowNode(int depth)
    {
        if (_text[_pos] is '[' or '{')
        {
            return ReadFlow(depth);
        }

        var (start, end, value, style) = ReadScalar(flow: true);
        return Scalar(start, end, value, style);
    }

    /// <summary>
    /// A scalar on the current line: quoted (without escapes or line breaks), or plain up to ": ", " #", the line's
    /// end or, in a flow collection, a comma or closing bracket. Value is null when it is the text between the marks.
    /// </summary>
    private (Mark Start, Mark End, string? Value, ScalarStyle Style) ReadScalar(bool flow)
    {
        var from = _pos;
        var first = _text[from];
        if (first is '\'' or '"')
        {
            var line = _text.AsSpan(from + 1, _lineEnd - from - 1);
            var closing = line.IndexOf(first);
            if (first == '"')
            {
                Require(closing >= 0 && line[..closing].IndexOf('\\') < 0);
                _pos = from + closing + 2;
                return (MarkAt(from), MarkAt(_pos), line[..closing].ToString(), ScalarStyle.DoubleQuoted);
            }

            // '' is a quote inside single quotes.
            var escaped = false;
            while (closing >= 0 && closing + 1 < line.Length && line[closing + 1] == '\'')
            {
                escaped = true;
                var next = line[(closing + 2)..].IndexOf('\'');
                closing = next < 0 ? -1 : closing + 2 + next;
            }

            Require(closing >= 0);
            _pos = from + closing + 2;
            var text = line[..closing].ToString();
            return (MarkAt(from), MarkAt(_pos), escaped ? text.Replace("''", "'", StringComparison.Ordinal) : text, ScalarStyle.SingleQuoted);
        }

        // Indicators YAML gives a meaning at a scalar's start; "-" starts a plain scalar only before a word ("-1", "--flag").
        Require(first is not (',' or '[' or ']' or '{' or '}' or '#' or '&' or '*' or '!' or '|' or '>' or '%' or '@' or '`' or '?' or ':' or '-')
            || (first == '-' && from + 1 < _lineEnd && (char.IsAsciiLetterOrDigit(_text[from + 1]) || _text[from + 1] is '-' or '.')));
        var end = from + 1;
        for (; end < _lineEnd; end++)
        {
            var c = _text[end];
            if ((c == ':' && (end + 1 == _lineEnd || _text[end + 1] == ' ')) || (c == '#' && _text[end - 1] == ' '))
            {
                break;
            }

            if (flow && c is ',' or ']' or '}' or '[' or '{' or ':')
            {
                // Inside brackets these end a scalar or are errors; only a comma or closing bracket is kept to.
                Require(c is ',' or ']' or '}');
                break;
            }
        }

        while (_text[end - 1] == ' ')
        {
            end--;
        }

        _pos = end;
        return (MarkAt(from), MarkAt(end), null, ScalarStyle.Plain);
    }

    private int Scalar(Mark start, Mark end, string? value, ScalarStyle style) => value is null ? _builder.Plain(start, end) : _builder.Scalar(start, end, style, value);

    private int Key(Mark start, Mark end, string? value, ScalarStyle style)
    {
        Require(end.Index - start.Index <= MaxKeyLength && end.Line == start.Line);
        return Scalar(start, end, value, style);
    }

    /// <summary>At a key's colon (after spaces): ":" before a space or the line's end. Reading stays on the colon.</summary>
    private bool AtKeyColon()
    {
        var at = _pos;
        while (at < _lineEnd && _text[at] == ' ')
        {
            at++;
        }

        if (at < _lineEnd && _text[at] == ':' && (at + 1 == _lineEnd || _text[at + 1] == ' '))
        {
            _pos = at;
            return true;
        }

        return false;
    }

    private bool AtSequenceEntry() => _text[_pos] == '-' && (_pos + 1 == _lineEnd || _text[_pos + 1] == ' ');

    private bool AtLineEndOrComment() => _pos >= _lineEnd || (_text[_pos] == '#' && _text[_pos - 1] == ' ');

    private void SkipSpaces()
    {
        while (_pos < _lineEnd && _text[_pos] == ' ')
        {
            _pos++;
        }
    }

    /// <summary>The rest of the line must be spaces or a comment; then on to the next line with content.</summary>
    private void FinishLine()
    {
        SkipSpaces();
        Require(AtLineEndOrComment());
        NextContentLine();
    }

    /// <summary>Skips blank and comment lines; at a line with content, reading is at its first character.</summary>
    private void NextContentLine()
    {
        while (true)
        {
            if (_nextLine < 0)
            {
                _atEnd = true;
                return;
            }

            EnterLine(_nextLine);
            var content = _text.AsSpan(_lineStart, _lineEnd - _lineStart).IndexOfAnyExcept(' ');
            if (content < 0 || _text[_lineStart + content] == '#')
            {
                continue;
            }

            _pos = _lineStart + content;
            _indent = content;
            _atSeparator = false;
            if (content == 0 && _text.AsSpan(_pos, _lineEnd - _pos) is var line && (line.StartsWith("---") || line.StartsWith("...") || line[0] == '%'))
            {
                // Only a bare "---" (a comment may follow) is read here.
                Require(line.StartsWith("---") && (line.Length == 3 || line[3] == ' '));
                _pos += 3;
                SkipSpaces();
                Require(AtLineEndOrComment());
                _atSeparator = true;
            }

            return;
        }
    }

    private void EnterLine(int start)
    {
        _line = start == 0 ? 1 : _line + 1;
        _lineStart = start;
        var newline = _text.IndexOf('\n', start);
        _nextLine = newline < 0 ? -1 : newline + 1;
        _lineEnd = newline < 0 ? _text.Length : newline > start && _text[newline - 1] == '\r' ? newline - 1 : newline;

        // A carriage return on its own is a line break to YAML.
        Require(_text.AsSpan(start, _lineEnd - start).IndexOf('\r') < 0);
    }

    private Mark MarkAt(int index) => new(index, _line, index - _lineStart + 1);

    private static void Require(bool condition)
    {
        if (!condition)
        {
            throw new NotPlainException();
        }
    }

    /// <summary>The text uses YAML this reader leaves to the next one.</summary>
    private sealed class NotPlainException : Exception
    {
    }
}
