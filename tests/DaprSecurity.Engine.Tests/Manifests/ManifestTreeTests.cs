using System.Text.Json.Nodes;
using DaprSecurity.Engine.Manifests;
using Xunit;

namespace DaprSecurity.Engine.Tests.Manifests;

/// <summary>The flat tree keeps a scalar's text only when it is not the file's characters: both must read back the same.</summary>
public sealed class ManifestTreeTests
{
    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void Scalars_read_back_as_YAML_reads_them_whatever_their_style_and_line_endings(string newLine)
    {
        var yaml = string.Join(newLine, "plain: orders-api", "single: 'it''s'", "double: \"a\\tb\"", "folded: first", "  second", "literal: |", "  line", "empty:", "tilde: ~", "list: [a, 'b c']", "ref: &x anchored", "alias: *x", "");
        var root = Assert.Single(ManifestParser.Parse(yaml, "t.yaml")).Root!;
        ManifestNode Value(string key) => root.Entry(key)!.Value.Value;

        Assert.Equal(
            new[] { "orders-api", "it's", "a\tb", "first second", "line\n", "", "~" },
            new[] { "plain", "single", "double", "folded", "literal", "empty", "tilde" }.Select(k => Value(k).Value));
        Assert.Equal(new[] { "a", "b c" }, Value("list").Items.Select(i => i.Value));
        Assert.Equal((ManifestNodeKind.Alias, "anchored"), (Value("alias").Kind, Value("alias").Target!.Value));
        Assert.True(Value("empty").IsNull && Value("tilde").IsNull && !Value("plain").IsNull);

        var single = root.Entry("single")!.Value;
        Assert.Equal((2, 1, 9), (single.Key.Line, single.Key.Column, single.Value.Column));
        Assert.Equal("'it''s'", yaml[single.Value.Start..single.Value.End]);

        var json = (JsonObject)ManifestJson.From(root, "t.yaml")!;
        Assert.Equal("it's", (string?)json["single"]);
        Assert.Null(json["tilde"]);
        Assert.Equal("anchored", (string?)json["alias"]);
    }

    [Fact]
    public void Locating_each_of_ten_thousand_list_items_does_not_make_the_whole_list_each_time()
    {
        var yaml = "spec:\n  metadata:\n" + string.Concat(Enumerable.Range(0, 10_000).Select(i => $"  - name: password{i}\n    value: hunter{i}\n"));
        var location = new Engine.Audit.Model.ManifestLocation("c.yaml", Assert.Single(ManifestParser.Parse(yaml, "c.yaml")));
        var before = GC.GetAllocatedBytesForCurrentThread();

        var found = Enumerable.Range(0, 10_000).Select(i => location.Locate(new[] { "spec", "metadata", $"[{i}]", "value" })).ToList();

        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 50_000_000);
        Assert.Equal((20_002, 5), found[^1]);
    }

    [Fact]
    public void A_large_mapping_finds_its_keys_as_a_small_one_does_the_first_of_a_key_written_twice()
    {
        var yaml = "m:\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"  k{i}: v{i}\n")) + "  k3: again\n  ? [complex]\n  : x\n";
        var large = Assert.Single(ManifestParser.Parse(yaml, "t.yaml")).Root!.Entry("m")!.Value.Value;

        Assert.Equal("v3", large.Entry("k3")!.Value.Value.Value);
        Assert.Equal((41, 3), (large.Entry("k39")!.Value.Key.Line, large.Entry("k39")!.Value.Key.Column));
        Assert.Null(large.Entry("k40"));
        Assert.Null(large.Entry("[complex]"));
    }
}
