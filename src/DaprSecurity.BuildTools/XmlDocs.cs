using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace DaprSecurity.BuildTools;

/// <summary>The compiler's XML documentation file, read as help text.</summary>
internal sealed partial class XmlDocs
{
    private readonly Dictionary<string, XElement> _members;

    private XmlDocs(Dictionary<string, XElement> members) => _members = members;

    public static XmlDocs Load(string path) => new(
        XDocument.Load(path).Descendants("member")
            .Where(m => m.Attribute("name") is not null)
            .ToDictionary(m => m.Attribute("name")!.Value, m => m));

    /// <summary>The doc comment of a member id such as <c>T:Ns.Type</c> or <c>P:Ns.Type.Prop</c>.</summary>
    public XElement? Member(string id) => _members.GetValueOrDefault(id);

    /// <summary>An element's text as paragraphs: one per &lt;para&gt;, or the whole text when it has none.</summary>
    public static IReadOnlyList<string> Paragraphs(XElement? element)
    {
        if (element is null)
        {
            return Array.Empty<string>();
        }

        var paras = element.Elements("para").Select(Text).Where(t => t.Length > 0).ToList();
        return paras.Count > 0 ? paras : new[] { Text(element) }.Where(t => t.Length > 0).ToList();
    }

    /// <summary>Plain text: cref links become their simple names, whitespace is folded.</summary>
    public static string Text(XElement element)
    {
        var text = string.Concat(element.Nodes().Select(node => node switch
        {
            XText t => t.Value,
            XElement { Name.LocalName: "see" or "seealso" } e => SimpleName(e.Attribute("cref")?.Value ?? e.Attribute("langword")?.Value ?? e.Value),
            XElement { Name.LocalName: "paramref" or "typeparamref" } e => e.Attribute("name")?.Value ?? "",
            XElement e => Text(e),
            _ => "",
        }));
        return Whitespace().Replace(text, " ").Trim();
    }

    /// <summary>Code keeps its line breaks but loses the indentation the doc comment added.</summary>
    public static string Code(XElement element)
    {
        var lines = element.Value.Replace("\r", "").Split('\n').SkipWhile(string.IsNullOrWhiteSpace).Reverse().SkipWhile(string.IsNullOrWhiteSpace).Reverse().ToList();
        var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
    }

    private static string SimpleName(string cref) => cref.Split(':').Last().Split('.').Last();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
