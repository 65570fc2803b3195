using System.Text;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Manifests;
using Xunit;

namespace DaprSecurity.Engine.Tests.Manifests;

/// <summary>
/// The fast readers (of plain text, and of YamlDotNet's scanner tokens) must build exactly the trees YamlDotNet's
/// parser builds (kinds, values, styles, marks, empty values, duplicates), or leave the text to the next reader:
/// compared node by node over the fixtures, over hand-picked corners of YAML and over generated text.
/// </summary>
public sealed class ManifestFastReaderTests
{
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: app1
          labels: {app: app1, tier: "web"}
        spec:
          template:
            metadata:
              annotations:
                dapr.io/enabled: "true"
                dapr.io/app-id: 'app1'
            spec:
              containers:
              - name: app1
                ports: [{containerPort: 8080}, {containerPort: 9090,}]
                args:
                - --flag
                -
                - |
                  a block
                  scalar
              volumes: []
        """;

    public static TheoryData<string> Corners => new()
    {
        "",
        "# only a comment\n",
        "---\n",
        "---\n---\n",
        "---\n# Source: chart/templates/empty.yaml\n---\napiVersion: v1\nkind: Secret\n",
        "a: 1\n---\nb: 2\n--- \nc: 3",
        "--- a\n",
        "--- [a, b]\n--- {x: y}\n",
        "a:\nb:\n",
        "a:\n  b:\n  c: d\n",
        "a:\n- b\n-\n- - c\n  - d\nz: 1\n",
        "- a\n- b: c\n  d: e\n-\n",
        "key: value # comment\n\"quoted key\": 'single ''quoted'''\n",
        "a: \"esc\\taped\\u00e9\"\nb: >\n  folded\n  text\nc: |-\n  kept\n",
        "a: multi\n  line\n  plain\n",
        "a: [1, 2,]\nb: {c: [d, {e: f}], g: }\nh: {}\ni: [ ]\n",
        "a: {b: c, d}\n",
        "a: [b: c]\n",
        "a: [, b]\n",
        "a: {, b: c}\n",
        "a: {? b}\n",
        "? a\n: b\n? [c]\n: d\n",
        "a: &x 1\nb: *x\n",
        "base: &d {x: 1}\nm:\n  <<: *d\n  y: 2\n",
        "a: !!str 1\n",
        "%YAML 1.2\n---\na: 1\n",
        "a: 1\n...\n",
        "a: 1\na: 2\nm: {k: 1, k: 2}\n",
        "a:\n\tb: c\n",
        "a: 'unterminated\n",
        "a: [b, c\n",
        "a: b: c\n",
        "  a: 1\n b: 2\n",
        "a:\r\n  b: c\r\n  d: [e]\r\n",
        "- [a]\n- {b: c}\n- [[x], {y: [z]}]\n",
        "a: [b]c\n",
        ": a\n",
        "a: 1\n- b\n",
        "- ---\n- -1\n- -.5\n- --x\n- -\n",
        "a: ---x\nb: -\nc: - d\n",
        "a: 'it''s'\nb: 'x'#c\nc: \"q\" # c\n",
        "k: v\n  # deeper comment\nl: w\n",
        "k: [a, b] # c\nl: {m: n}x\n",
        "\"a\":b\n",
        "a:\n- b\n-\n  c: d\n- - e\n",
        "---\na: 1\n--- # next\nb: 2\n---x\n",
        "- a\n - b\n",
        new string('[', 300) + new string(']', 300),
        string.Concat(Enumerable.Range(0, 300).Select(i => new string(' ', i) + "k:\n")),
    };

    [Theory]
    [MemberData(nameof(Corners))]
    public void Corners_of_yaml_build_the_parsers_tree_or_are_left_to_it(string yaml) => AssertSameAsParser(yaml);

    [Fact]
    public void Every_fixture_builds_the_parsers_tree()
    {
        var files = Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "AuditFixtures"), "*.yaml", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            AssertSameAsParser(File.ReadAllText(file), file);
        }
    }

    [Fact]
    public void Plain_manifests_take_the_fast_paths_and_the_others_the_parser()
    {
        var plain = Deployment.Replace("- |\n          a block\n          scalar\n", "- 'a ''quoted'' one'\n", StringComparison.Ordinal);
        Assert.NotNull(ManifestPlainReader.TryRead(plain));
        Assert.NotNull(ManifestPlainReader.TryRead("# header\n---\n" + plain + "\n---\n" + plain));
        Assert.Null(ManifestPlainReader.TryRead(Deployment));
        Assert.NotNull(ManifestTokenReader.TryRead(Deployment));
        Assert.NotNull(ManifestTokenReader.TryRead("---\n# an empty template\n---\n" + Deployment));
        Assert.Null(ManifestPlainReader.TryRead("a: &x 1\nb: *x\n"));
        Assert.Null(ManifestTokenReader.TryRead("a: &x 1\nb: *x\n"));
        Assert.Null(ManifestPlainReader.TryRead("a: 'unterminated\n"));
        Assert.Null(ManifestTokenReader.TryRead("a: 'unterminated\n"));

        // Left to the parser, the result is the parser's: the alias resolves, the error names its line.
        Assert.Equal("1", ManifestParser.Parse("a: &x 1\nb: *x\n", "t.yaml")[0].Root!.Entry("b")!.Value.Value.Target!.Value);
        var error = Assert.Throws<DaprSecurityException>(() => ManifestParser.Parse("a: b\nc: 'unterminated\n", "t.yaml"));
        Assert.StartsWith("t.yaml:3:1: not valid YAML: While scanning a quoted scalar", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_text_builds_the_parsers_tree_or_is_left_to_it()
    {
        // Lines of manifests and of broken YAML at random indentation: most are invalid, many are not.
        string[] pieces =
        {
            "a:", "b: c", "- d", "-", "- e: f", "g: [h, i]", "j: {k: l}", "m: 'n'", "o: \"p\"", "q: |", "r", "s: >-",
            "? t", ": u", "v: [w,", "x]", "y: {z", "}", "# c", "---", "&a b: c", "*a", "k: !t v", "l: - m", "n: o: p", "[", "{",
            "\"q", "r: [s: t]", "u: {v, w}", "x:  ", "y: [ ]", "z: {}", "aa: ''", "bb: ~", "cc: null",
        };
        var random = new Random(20261203);
        var (plain, tokens) = (0, 0);
        for (var i = 0; i < 3000; i++)
        {
            var text = new StringBuilder();
            for (var line = random.Next(1, 9); line > 0; line--)
            {
                text.Append(' ', random.Next(0, 3) * 2).Append(pieces[random.Next(pieces.Length)]).Append(random.Next(5) == 0 ? "\r\n" : "\n");
            }

            var (byPlain, byTokens) = AssertSameAsParser(text.ToString());
            plain += byPlain ? 1 : 0;
            tokens += byTokens ? 1 : 0;
        }

        // The comparison means something only if each fast reader read a good share of them.
        Assert.InRange(plain, 150, 3000);
        Assert.InRange(tokens, 300, 3000);
    }

    [Fact]
    public void Generated_manifests_and_their_mutations_build_the_parsers_tree_or_are_left_to_it()
    {
        var random = new Random(1203);
        var (valid, plain, mutated) = (0, 0, 0);
        for (var i = 0; i < 1500; i++)
        {
            var yaml = new ManifestText(random).Stream();
            var (byPlain, _) = AssertSameAsParser(yaml);
            valid++;
            plain += byPlain ? 1 : 0;

            // One character inserted or removed: the readers must still agree or give up.
            for (var m = 0; m < 3; m++)
            {
                var at = random.Next(yaml.Length + 1);
                var changed = random.Next(3) == 0 && at < yaml.Length ? yaml.Remove(at, 1) : yaml.Insert(at, " :-#'\"[]{},\nx\r&"[random.Next(15)].ToString());
                mutated += AssertSameAsParser(changed).Plain ? 1 : 0;
            }
        }

        Assert.InRange(plain, valid * 9 / 10, valid);
        Assert.InRange(mutated, 500, valid * 3);
    }

    /// <summary>Which fast readers read <paramref name="yaml"/> (each building the parser's tree).</summary>
    private static (bool Plain, bool Tokens) AssertSameAsParser(string yaml, string? name = null)
    {
        var plain = ManifestPlainReader.TryRead(yaml);
        var tokens = ManifestTokenReader.TryRead(yaml);
        string expected;
        try
        {
            expected = Dump(ManifestParser.ParseEvents(yaml, "t.yaml"));
        }
        catch (DaprSecurityException)
        {
            Assert.True(plain is null, $"The plain reader read what the parser rejects ({name}):\n{yaml}");
            Assert.True(tokens is null, $"The token reader read what the parser rejects ({name}):\n{yaml}");
            return (false, false);
        }

        foreach (var (reader, documents) in new[] { ("plain", plain), ("token", tokens) })
        {
            if (documents is not null)
            {
                Assert.True(expected == Dump(documents), $"The {reader} reader built another tree ({name}):\n{yaml}\nparser:\n{expected}\n{reader} reader:\n{Dump(documents)}");
            }
        }

        return (plain is not null, tokens is not null);
    }

    /// <summary>Random manifests in the YAML people write: nested keys, items, compact mappings, flow collections, quotes, comments, documents.</summary>
    private sealed class ManifestText
    {
        private static readonly string[] s_keys = { "a", "name", "b-c", "d.e/f", "x y", "'q'", "\"dq\"", "k:v", "-k", "dapr.io/app-id", "a#b", "k " };
        private static readonly string[] s_scalars = { "v", "1", "true", "redis:6379", "http://x/y?z=1", "a b", "-1", "--flag", "~", "null", "a#b", "a[0]", "x{y}", "'s ''q'' x'", "\"d q\"", "''", "\"\"", "'a: b'", "\"#x\"", "é€", "v  ", "a,b" };
        private static readonly string[] s_flows = { "[a, 'b', {c: d}]", "{a: [1, 2], b: }", "[]", "{}", "[a,]", "{a: b,}", "[ x , y ]", "{a: {b: {c: [d]}}}", "[\"a\", '']", "{'k': v, \"l\": w}" };
        private readonly Random _random;
        private readonly StringBuilder _text = new();

        public ManifestText(Random random) => _random = random;

        public string Stream()
        {
            var documents = _random.Next(1, 4);
            for (var d = 0; d < documents; d++)
            {
                if (d > 0 || _random.Next(3) == 0)
                {
                    _text.Append(_random.Next(4) == 0 ? "--- # doc\n" : "---\n");
                }

                Comment(0);
                if (_random.Next(4) == 0)
                {
                    Sequence(0, 0);
                }
                else
                {
                    Mapping(0, 0);
                }
            }

            return _random.Next(4) == 0 ? _text.ToString().Replace("\n", "\r\n", StringComparison.Ordinal) : _text.ToString();
        }

        private void Mapping(int indent, int depth, bool compact = false)
        {
            for (var count = _random.Next(1, 5); count > 0; count--, compact = false)
            {
                if (!compact)
                {
                    _text.Append(' ', indent);
                }

                _text.Append(Pick(s_keys)).Append(':');
                After(indent, depth, item: false);
                Comment(indent);
            }
        }

        private void Sequence(int indent, int depth)
        {
            for (var count = _random.Next(1, 4); count > 0; count--)
            {
                _text.Append(' ', indent).Append('-');
                After(indent, depth, item: true);
            }
        }

        /// <summary>What follows a key's colon or an item's dash: a scalar, a flow collection, nothing, a nested block (an item's may be a compact mapping, a key's a sequence at its own indentation).</summary>
        private void After(int indent, int depth, bool item)
        {
            switch (depth < 4 ? _random.Next(6) : _random.Next(3))
            {
                case 0:
                    _text.Append(' ').Append(Pick(s_scalars)).Append(_random.Next(4) == 0 ? " # note\n" : "\n");
                    break;
                case 1:
                    _text.Append(' ').Append(Pick(s_flows)).Append('\n');
                    break;
                case 2:
                    _text.Append('\n');
                    break;
                case 3 when item:
                    _text.Append(' ');
                    Mapping(indent + 2, depth + 1, compact: true);
                    break;
                case 3:
                    _text.Append('\n');
                    Sequence(indent, depth + 1);
                    break;
                case 4:
                    _text.Append('\n');
                    Mapping(indent + 2 + (2 * _random.Next(2)), depth + 1);
                    break;
                default:
                    _text.Append('\n');
                    Sequence(indent + 2, depth + 1);
                    break;
            }
        }

        private void Comment(int indent)
        {
            if (_random.Next(5) == 0)
            {
                _text.Append(' ', _random.Next(indent + 1)).Append(_random.Next(2) == 0 ? "# comment\n" : "\n");
            }
        }

        private string Pick(string[] values) => values[_random.Next(values.Length)];
    }

    private static string Dump(IReadOnlyList<ManifestDocument> documents)
    {
        var text = new StringBuilder();
        foreach (var document in documents)
        {
            text.Append($"document {document.Index} merge={document.HasMergeKeys} duplicates={string.Join(",", document.Duplicates)}\n");
            Dump(document.Root, 1, text);
        }

        return text.ToString();
    }

    private static void Dump(ManifestNode? node, int depth, StringBuilder text)
    {
        if (node is null)
        {
            text.Append(' ', depth).Append("null\n");
            return;
        }

        text.Append(' ', depth).Append($"{node.Kind} {node.Line}:{node.Column} [{node.Start},{node.End}) flow={node.IsFlow} style={node.Style} value={node.Value}\n");
        switch (node.Kind)
        {
            case ManifestNodeKind.Mapping:
                foreach (var entry in node.Entries)
                {
                    Dump(entry.Key, depth + 1, text);
                    Dump(entry.Value, depth + 2, text);
                }

                break;
            case ManifestNodeKind.Sequence:
                foreach (var item in node.Items)
                {
                    Dump(item, depth + 1, text);
                }

                break;
            case ManifestNodeKind.Alias:
                Dump(node.Target, depth + 1, text);
                break;
        }
    }
}
