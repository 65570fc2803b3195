using System.Globalization;
using System.Xml.Linq;

namespace DaprSecurity.BuildTools;

/// <summary>Writes PowerShell's MAML help format (what platyPS's New-ExternalHelp produces).</summary>
internal static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static void Write(IEnumerable<CmdletModel> cmdlets, string path)
    {
        var document = new XDocument(
            new XDeclaration("1.0", "utf-8", null),
            new XElement(
                Msh + "helpItems",
                new XAttribute("schema", "maml"),
                new XAttribute(XNamespace.Xmlns + "maml", Maml),
                new XAttribute(XNamespace.Xmlns + "command", Command),
                new XAttribute(XNamespace.Xmlns + "dev", Dev),
                cmdlets.Select(CommandElement)));
        document.Save(path);
    }

    private static XElement CommandElement(CmdletModel cmdlet) => new(
        Command + "command",
        new XElement(
            Command + "details",
            new XElement(Command + "name", cmdlet.Name),
            new XElement(Command + "verb", cmdlet.Verb),
            new XElement(Command + "noun", cmdlet.Noun),
            Description(new[] { cmdlet.Synopsis })),
        Description(cmdlet.Description),
        new XElement(Command + "syntax", cmdlet.ParameterSets.Select(set => new XElement(
            Command + "syntaxItem",
            new XElement(Maml + "name", cmdlet.Name),
            cmdlet.Parameters
                .Select(p => (Parameter: p, Usage: p.In(set)))
                .Where(x => x.Usage is not null)
                .OrderBy(x => x.Usage!.Position ?? int.MaxValue)
                .Select(x => ParameterElement(x.Parameter, x.Usage!))))),
        new XElement(Command + "parameters", cmdlet.Parameters.Select(p => ParameterElement(p, p.Sets.Values.First()))),
        new XElement(Command + "inputTypes", cmdlet.Parameters
            .Where(p => p.Sets.Values.Any(u => u.FromPipeline || u.FromPipelineByPropertyName))
            .Select(p => TypeElement(Command + "inputType", p.TypeName, $"You can pipe {p.Name} to this cmdlet."))),
        new XElement(Command + "returnValues", cmdlet.OutputTypes.Select(t => TypeElement(Command + "returnValue", t, ""))),
        new XElement(Command + "examples", cmdlet.Examples.Select((e, i) => new XElement(
            Command + "example",
            new XElement(Maml + "title", $"-------------------------- Example {i + 1}{(e.Title.Length > 0 ? ": " + e.Title : "")} --------------------------"),
            new XElement(Dev + "code", e.Code),
            new XElement(Dev + "remarks", e.Remarks.Select(r => new XElement(Maml + "para", r)))))));

    private static XElement ParameterElement(ParameterModel parameter, ParameterSetUsage usage) => new(
        Command + "parameter",
        new XAttribute("required", usage.Mandatory.ToString().ToLowerInvariant()),
        new XAttribute("variableLength", parameter.TypeName.EndsWith("[]", StringComparison.Ordinal).ToString().ToLowerInvariant()),
        new XAttribute("globbing", parameter.Globbing.ToString().ToLowerInvariant()),
        new XAttribute("pipelineInput", usage.PipelineInput),
        new XAttribute("position", usage.Position?.ToString(CultureInfo.InvariantCulture) ?? "named"),
        new XAttribute("aliases", parameter.Aliases.Count == 0 ? "none" : string.Join(", ", parameter.Aliases)),
        new XElement(Maml + "name", parameter.Name),
        Description(parameter.Description),
        parameter.IsSwitch ? null : new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", "false"), parameter.TypeName),
        new XElement(Dev + "type", new XElement(Maml + "name", parameter.TypeName)),
        new XElement(Dev + "defaultValue", parameter.IsSwitch ? "False" : "None"));

    private static XElement TypeElement(XName name, string typeName, string description) => new(
        name,
        new XElement(Dev + "type", new XElement(Maml + "name", typeName)),
        Description(new[] { description }));

    private static XElement Description(IEnumerable<string> paragraphs)
        => new(Maml + "description", paragraphs.Select(p => new XElement(Maml + "para", p)));
}
