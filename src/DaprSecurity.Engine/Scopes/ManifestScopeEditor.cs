using System.Text;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Manifests;
using YamlDotNet.Core;

namespace DaprSecurity.Engine.Scopes;

/// <summary>
/// Rewrites the top-level <c>scopes</c> of documents in a manifest's text so that a Git diff shows only scopes
/// lines: kept entries keep their lines (quoting, comments), removed entries lose exactly their lines, new entries
/// are added after the last one in the same indentation and quoting. A missing key is added at the end of the
/// document in the file's indentation style; a list that becomes empty loses its key. Every other character of the
/// file stays as it was.
/// </summary>
internal sealed class ManifestScopeEditor
{
    private readonly string _text;
    private readonly string _newLine;
    private readonly IReadOnlyList<ManifestDocument> _documents;
    private readonly List<(int Start, int End, string Replacement)> _splices = new();

    public ManifestScopeEditor(string text, string newLine, IReadOnlyList<ManifestDocument> documents)
    {
        _text = text;
        _newLine = newLine;
        _documents = documents;
    }

    /// <summary>
    /// Plans setting <paramref name="document"/>'s scopes to <paramref name="scopes"/>; <see cref="Apply"/> makes the text
    /// with every planned document's change, so a file with many edited components is spliced once. A document that
    /// cannot be edited throws and leaves nothing planned for it.
    /// </summary>
    public void Splice(ManifestDocument document, IReadOnlyList<string> scopes, string target)
    {
        var planned = _splices.Count;
        try
        {
            SpliceScopes(document, scopes, target);
        }
        catch
        {
            _splices.RemoveRange(planned, _splices.Count - planned);
            throw;
        }
    }

    private void SpliceScopes(ManifestDocument document, IReadOnlyList<string> scopes, string target)
    {
        var root = document.Root!;
        if (root.Entry("scopes") is not { } entry)
        {
            AddKey(document, root, scopes, target);
            return;
        }

        switch (entry.Value)
        {
            case { IsNull: true } empty:
                FillEmpty(document, entry, empty, scopes);
                break;
            case { Kind: ManifestNodeKind.Sequence, IsFlow: true } flow:
                RewriteFlow(entry, flow, scopes);
                break;
            case { Kind: ManifestNodeKind.Sequence } block:
                RewriteBlock(entry, block, scopes, target);
                break;
            default:
                throw DaprErrors.ComponentScopesInvalid.Raise($"{target}: 'scopes' is not a list, so it cannot be edited safely.", target, recommendedAction: "Make scopes a list of app-ids, then run the command again.");
        }
    }

    private void AddKey(ManifestDocument document, ManifestNode root, IReadOnlyList<string> scopes, string target)
    {
        if (scopes.Count == 0)
        {
            return;
        }

        if (root.IsFlow || root.Kind != ManifestNodeKind.Mapping || root.Entries.Count == 0)
        {
            throw DaprErrors.ManifestNotEditable.Raise($"{target}: the document is not a block mapping, so a scopes key cannot be added without reformatting it.", target, recommendedAction: "Add 'scopes:' to the document by hand; later edits keep your layout.");
        }

        var keyIndent = new string(' ', root.Column - 1);
        var insertAt = LineEnd(root.End);
        var prefix = insertAt == _text.Length && !EndsWithNewLine() ? _newLine : "";
        _splices.Add((insertAt, insertAt, prefix + keyIndent + "scopes:" + _newLine + Items(scopes, keyIndent + ItemIndent(document), "- ", NewItemStyle(document, null))));
    }

    /// <summary><c>scopes:</c> with nothing (or ~ / null) after it.</summary>
    private void FillEmpty(ManifestDocument document, ManifestEntry entry, ManifestNode empty, IReadOnlyList<string> scopes)
    {
        if (scopes.Count == 0)
        {
            return;
        }

        var style = NewItemStyle(document, null);
        if (empty.Value!.Length > 0)
        {
            _splices.Add((empty.Start, empty.End, "[" + string.Join(", ", scopes.Select(s => YamlScalarText.Render(s, style))) + "]"));
            return;
        }

        var keyIndent = _text[LineStart(entry.Key.Start)..entry.Key.Start];
        var insertAt = LineEnd(entry.Key.End);
        var prefix = insertAt == _text.Length && !EndsWithNewLine() ? _newLine : "";
        _splices.Add((insertAt, insertAt, prefix + Items(scopes, keyIndent + ItemIndent(document), "- ", style)));
    }

    private void RewriteFlow(ManifestEntry entry, ManifestNode flow, IReadOnlyList<string> scopes)
    {
        if (scopes.Count == 0 && RemoveEntry(entry, flow.End))
        {
            return;
        }

        var items = flow.Items;
        var open = flow.Start + 1;
        var close = flow.End - 1;
        var leading = items.Count > 0 ? _text[open..items[0].Start] : "";
        var trailing = items.Count > 0 ? _text[items[^1].End..close] : "";
        var separator = items.Count > 1 ? _text[items[0].End..items[1].Start] : ", ";
        var style = NewItemStyle(null, items);
        var kept = items.Where(i => i.Value is not null).DistinctBy(i => i.Value).ToDictionary(i => i.Value!, StringComparer.Ordinal);
        var rendered = scopes.Select(s => kept.TryGetValue(s, out var item) ? _text[item.Start..item.End] : YamlScalarText.Render(s, style));
        _splices.Add((open, close, leading + string.Join(separator, rendered) + trailing));
    }

    private void RewriteBlock(ManifestEntry entry, ManifestNode block, IReadOnlyList<string> scopes, string target)
    {
        var lines = block.Items.Select(item => ItemLine(item, target)).ToList();
        if (scopes.Count == 0 && RemoveEntry(entry, block.End))
        {
            return;
        }

        var wanted = scopes.ToHashSet(StringComparer.Ordinal);
        var keptValues = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < block.Items.Count; i++)
        {
            if (!wanted.Contains(block.Items[i].Value!) || !keptValues.Add(block.Items[i].Value!))
            {
                _splices.Add((lines[i].Start, lines[i].End, ""));
            }
        }

        var added = scopes.Where(s => !keptValues.Contains(s)).ToList();
        if (added.Count > 0)
        {
            var last = lines[^1];
            var prefix = last.End == _text.Length && !EndsWithNewLine() ? _newLine : "";
            _splices.Add((last.End, last.End, prefix + Items(added, last.Indent, last.Dash, NewItemStyle(null, block.Items))));
        }
    }

    /// <summary>Deletes the key and its value when they sit on whole lines of their own; false when they do not.</summary>
    private bool RemoveEntry(ManifestEntry entry, int valueEnd)
    {
        var start = LineStart(entry.Key.Start);
        if (!IsBlank(start, entry.Key.Start))
        {
            return false;
        }

        _splices.Add((start, LineEnd(valueEnd), ""));
        return true;
    }

    /// <summary>The whole line of one block sequence item: indentation, dash, value, trailing comment, line break.</summary>
    private (int Start, int End, string Indent, string Dash) ItemLine(ManifestNode item, string target)
    {
        var dash = item.Start - 1;
        while (dash >= 0 && _text[dash] is ' ' or '\t')
        {
            dash--;
        }

        var start = dash >= 0 ? LineStart(dash) : 0;
        if (item.Kind != ManifestNodeKind.Scalar || item.IsNull || dash < 0 || _text[dash] != '-' || !IsBlank(start, dash))
        {
            throw DaprErrors.ComponentScopesInvalid.Raise($"{target}:{item.Line}: a scopes entry is not a plain app-id on a line of its own, so it cannot be edited safely.", target, recommendedAction: "Write scopes as one '- app-id' per line or as [app1, app2], then run the command again.");
        }

        return (start, LineEnd(item.End), _text[start..dash], _text[dash..item.Start]);
    }

    /// <summary>How far this file indents a block list under its key (0 for kubectl's style, 2 for another common one).</summary>
    private string ItemIndent(ManifestDocument document)
    {
        foreach (var doc in _documents.OrderBy(d => d == document ? 0 : 1))
        {
            foreach (var sample in BlockSequences(doc.Root).Take(1))
            {
                var dash = sample.Value.Items[0].Start - 1;
                while (dash > 0 && _text[dash] != '-')
                {
                    dash--;
                }

                var column = dash - LineStart(dash);
                return new string(' ', Math.Max(0, column - (sample.Key.Column - 1)));
            }
        }

        return "";
    }

    /// <summary>Entries' quoting when the list has some; otherwise the quoting of the document's name, so a file that quotes its strings stays that way.</summary>
    private static ScalarStyle NewItemStyle(ManifestDocument? document, IReadOnlyList<ManifestNode>? items)
    {
        var sample = items?.LastOrDefault() ?? document?.Root?.Find(new[] { "metadata", "name" })?.Value;
        return sample?.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted ? sample.Style : ScalarStyle.Plain;
    }

    private static IEnumerable<ManifestEntry> BlockSequences(ManifestNode? node)
    {
        foreach (var entry in node?.Entries ?? Enumerable.Empty<ManifestEntry>())
        {
            if (entry.Value is { Kind: ManifestNodeKind.Sequence, IsFlow: false, Items.Count: > 0 } && entry.Key.Line != entry.Value.Line)
            {
                yield return entry;
            }

            foreach (var nested in BlockSequences(entry.Value).Concat((entry.Value.Items).SelectMany(BlockSequences)))
            {
                yield return nested;
            }
        }
    }

    private string Items(IEnumerable<string> appIds, string indent, string dash, ScalarStyle style)
        => string.Concat(appIds.Select(a => indent + dash + YamlScalarText.Render(a, style) + _newLine));

    /// <summary>The text with every planned change.</summary>
    public string Apply()
    {
        var text = new StringBuilder(_text.Length + 256);
        var position = 0;
        foreach (var (start, end, replacement) in _splices.OrderBy(s => s.Start).ThenBy(s => s.End))
        {
            text.Append(_text, position, start - position).Append(replacement);
            position = end;
        }

        return text.Append(_text, position, _text.Length - position).ToString();
    }

    private bool EndsWithNewLine() => _text.Length > 0 && _text[^1] == '\n';

    private int LineStart(int index) => index <= 0 ? 0 : _text.LastIndexOf('\n', index - 1) + 1;

    /// <summary>The index just after the line break that ends the line holding <paramref name="index"/> (or the end of the text).</summary>
    private int LineEnd(int index)
    {
        if (index > 0 && index <= _text.Length && _text[index - 1] == '\n')
        {
            return index;
        }

        var newLine = _text.IndexOf('\n', Math.Min(index, _text.Length));
        return newLine < 0 ? _text.Length : newLine + 1;
    }

    private bool IsBlank(int start, int end) => _text.AsSpan(start, end - start).IsWhiteSpace();
}
