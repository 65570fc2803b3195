using System.Reflection;
using DaprSecurity.BuildTools;

// Usage: DaprSecurity.BuildTools <module.dll> <module.xml> <help-out.xml> <format-out.ps1xml> <reference.dll>...
if (args.Length < 4)
{
    Console.Error.WriteLine("usage: DaprSecurity.BuildTools <module.dll> <module.xml> <help-out.xml> <format-out.ps1xml> <reference.dll>...");
    return 2;
}

var (modulePath, xmlDocPath, helpPath, formatPath) = (args[0], args[1], args[2], args[3]);
var runtimeAssemblies = Directory.GetFiles(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "*.dll");
var resolver = new PathAssemblyResolver(runtimeAssemblies.Concat(args.Skip(4)).Append(modulePath).DistinctBy(Path.GetFileName));
using var context = new MetadataLoadContext(resolver);
var module = context.LoadFromAssemblyPath(modulePath);
var docs = XmlDocs.Load(xmlDocPath);

var cmdlets = CmdletModel.ReadAll(module, docs);
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(helpPath))!);
MamlWriter.Write(cmdlets, helpPath);
FormatWriter.Write(module, formatPath);
Console.WriteLine($"DaprSecurity.BuildTools: help for {cmdlets.Count} cmdlets, views for {FormatWriter.CountViews(module)} output types.");
return 0;
