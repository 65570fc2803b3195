using System.Reflection;
using System.Xml.Linq;

namespace DaprSecurity.BuildTools;

/// <summary>What help needs to know about one cmdlet, read from its attributes and its doc comments.</summary>
internal sealed record CmdletModel(
    string Name,
    string Verb,
    string Noun,
    string Synopsis,
    IReadOnlyList<string> Description,
    IReadOnlyList<ParameterModel> Parameters,
    IReadOnlyList<string> ParameterSets,
    IReadOnlyList<string> OutputTypes,
    IReadOnlyList<ExampleModel> Examples)
{
    private const string Sma = "System.Management.Automation.";
    public const string AllSets = "__AllParameterSets";

    public static IReadOnlyList<CmdletModel> ReadAll(Assembly module, XmlDocs docs) => module.GetExportedTypes()
        .Where(t => !t.IsAbstract && Attribute(t, "CmdletAttribute") is not null)
        .Select(t => Read(t, docs))
        .OrderBy(c => c.Name, StringComparer.Ordinal)
        .ToList();

    private static CmdletModel Read(Type type, XmlDocs docs)
    {
        var cmdlet = Attribute(type, "CmdletAttribute")!;
        var verb = (string)cmdlet.ConstructorArguments[0].Value!;
        var noun = (string)cmdlet.ConstructorArguments[1].Value!;
        var doc = docs.Member("T:" + type.FullName);
        var parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Concat(DynamicParameters(type))
            .Select(p => ParameterModel.Read(p, docs))
            .OfType<ParameterModel>()
            .ToList();
        if (Named(cmdlet, "SupportsShouldProcess") is true)
        {
            parameters.Add(ParameterModel.ShouldProcessSwitch("WhatIf", "Shows what would happen if the cmdlet runs. The cmdlet is not run."));
            parameters.Add(ParameterModel.ShouldProcessSwitch("Confirm", "Prompts you for confirmation before running the cmdlet."));
        }

        var sets = parameters.SelectMany(p => p.Sets.Keys).Where(s => s != AllSets).Distinct().ToList();
        var defaultSet = Named(cmdlet, "DefaultParameterSetName") as string;
        if (defaultSet is not null && sets.Remove(defaultSet))
        {
            sets.Insert(0, defaultSet);
        }

        return new CmdletModel(
            $"{verb}-{noun}",
            verb,
            noun,
            XmlDocs.Text(doc?.Element("summary") ?? new XElement("summary")),
            XmlDocs.Paragraphs(doc?.Element("remarks")),
            parameters,
            sets.Count == 0 ? new[] { AllSets } : sets,
            type.GetCustomAttributesData()
                .Where(a => a.AttributeType.FullName == Sma + "OutputTypeAttribute")
                .SelectMany(a => a.ConstructorArguments.SelectMany(Values))
                .OfType<Type>()
                .Select(t => t.FullName!)
                .ToList(),
            (doc?.Elements("example") ?? Enumerable.Empty<XElement>()).Select(ExampleModel.Read).ToList());
    }

    /// <summary>The parameter objects DaprClusterCmdlet offers as dynamic parameters, by the mark that gives them.</summary>
    private static readonly (string Mark, string Parameters)[] s_dynamicParameters =
    {
        ("DaprSecurity.Commands.ReadsClustersInParallelAttribute", "DaprSecurity.Commands.ParallelReadParameters"),
        ("DaprSecurity.Commands.RestartsInWavesAttribute", "DaprSecurity.Commands.RolloutWaveParameters"),
    };

    /// <summary>The dynamic parameters of a cmdlet: -ThrottleLimit of one that reads clusters in parallel; -Canary, -Wave and -ThrottleLimit of one that restarts in waves.</summary>
    private static IEnumerable<PropertyInfo> DynamicParameters(Type type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            var marks = t.GetCustomAttributesData().Select(a => a.AttributeType.FullName).ToList();
            foreach (var (mark, parameters) in s_dynamicParameters.Where(d => marks.Contains(d.Mark)))
            {
                return type.Assembly.GetType(parameters, throwOnError: true)!.GetProperties(BindingFlags.Public | BindingFlags.Instance);
            }
        }

        return Array.Empty<PropertyInfo>();
    }

    internal static CustomAttributeData? Attribute(MemberInfo member, string name)
        => member.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == Sma + name);

    internal static object? Named(CustomAttributeData attribute, string name)
        => attribute.NamedArguments.Where(a => a.MemberName == name).Select(a => a.TypedValue.Value).FirstOrDefault();

    /// <summary>Flattens a constructor argument that may be a params array.</summary>
    internal static IEnumerable<object?> Values(CustomAttributeTypedArgument argument)
        => argument.Value is IEnumerable<CustomAttributeTypedArgument> items ? items.Select(i => i.Value) : new[] { argument.Value };
}

/// <summary>One parameter; <see cref="Sets"/> maps each parameter set to how the parameter behaves in it.</summary>
internal sealed record ParameterModel(
    string Name,
    string TypeName,
    bool IsSwitch,
    IReadOnlyList<string> Description,
    IReadOnlyList<string> Aliases,
    bool Globbing,
    IReadOnlyDictionary<string, ParameterSetUsage> Sets)
{
    public static ParameterModel? Read(PropertyInfo property, XmlDocs docs)
    {
        var usages = property.GetCustomAttributesData().Where(a => a.AttributeType.FullName == "System.Management.Automation.ParameterAttribute").ToList();
        if (usages.Count == 0)
        {
            return null;
        }

        var doc = docs.Member($"P:{property.DeclaringType!.FullName}.{property.Name}");
        var type = UnderlyingType(property.PropertyType);
        return new ParameterModel(
            property.Name,
            type.Name,
            type.FullName == "System.Management.Automation.SwitchParameter",
            XmlDocs.Paragraphs(doc?.Element("summary")),
            CmdletModel.Attribute(property, "AliasAttribute") is { } alias ? alias.ConstructorArguments.SelectMany(CmdletModel.Values).OfType<string>().ToList() : Array.Empty<string>(),
            CmdletModel.Attribute(property, "SupportsWildcardsAttribute") is not null,
            usages.ToDictionary(
                a => CmdletModel.Named(a, "ParameterSetName") as string ?? CmdletModel.AllSets,
                a => new ParameterSetUsage(
                    CmdletModel.Named(a, "Mandatory") is true,
                    CmdletModel.Named(a, "Position") is int position && position >= 0 ? position : null,
                    CmdletModel.Named(a, "ValueFromPipeline") is true,
                    CmdletModel.Named(a, "ValueFromPipelineByPropertyName") is true)));
    }

    /// <summary>T for Nullable&lt;T&gt;. Compared by name: types from a MetadataLoadContext are not the runtime's Nullable&lt;&gt;.</summary>
    private static Type UnderlyingType(Type type)
        => type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1" ? type.GetGenericArguments()[0] : type;

    public static ParameterModel ShouldProcessSwitch(string name, string description) => new(
        name, "SwitchParameter", true, new[] { description }, name == "WhatIf" ? new[] { "wi" } : new[] { "cf" }, false,
        new Dictionary<string, ParameterSetUsage> { [CmdletModel.AllSets] = new(false, null, false, false) });

    /// <summary>How the parameter behaves in <paramref name="set"/>, or null when it is not part of it.</summary>
    public ParameterSetUsage? In(string set) => Sets.GetValueOrDefault(set) ?? Sets.GetValueOrDefault(CmdletModel.AllSets);
}

internal sealed record ParameterSetUsage(bool Mandatory, int? Position, bool FromPipeline, bool FromPipelineByPropertyName)
{
    public string PipelineInput => (FromPipeline, FromPipelineByPropertyName) switch
    {
        (true, true) => "True (ByValue, ByPropertyName)",
        (true, false) => "True (ByValue)",
        (false, true) => "True (ByPropertyName)",
        _ => "False",
    };
}

internal sealed record ExampleModel(string Title, string Code, IReadOnlyList<string> Remarks)
{
    public static ExampleModel Read(XElement example) => new(
        example.Attribute("title")?.Value ?? "",
        XmlDocs.Code(example.Element("code") ?? new XElement("code")),
        example.Elements("para").Select(XmlDocs.Text).ToList());
}
