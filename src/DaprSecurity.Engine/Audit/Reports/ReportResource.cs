using DaprSecurity.Output;

namespace DaprSecurity.Engine.Audit.Reports;

/// <summary>How a result's resource and place are named in reports: one wording for every format.</summary>
internal static class ReportResource
{
    /// <summary>"Deployment shop/api", "Namespace shop", or "cluster" when the result names no object. Raw text.</summary>
    public static string Describe(DaprSecurityResult result)
    {
        var name = result.Namespace.Length > 0 && result.Name.Length > 0 ? $"{result.Namespace}/{result.Name}" : result.Namespace + result.Name;
        var described = $"{result.Kind} {name}".Trim();
        return described.Length > 0 ? described : "cluster";
    }

    /// <summary>True for a result read from a manifest file rather than from a cluster.</summary>
    public static bool IsFile(DaprSecurityResult result) => result.Path.Length > 0;

    /// <summary>"path:line:column" for files (the parts known), the context for a cluster. Raw text.</summary>
    public static string Where(DaprSecurityResult result)
    {
        if (!IsFile(result))
        {
            return result.Context;
        }

        var where = result.Path;
        if (result.Line > 0)
        {
            where += $":{result.Line}";
            if (result.Column > 0)
            {
                where += $":{result.Column}";
            }
        }

        return where;
    }

    /// <summary>"context/namespace/Kind/name": the SARIF fully qualified logical name of a resource. Raw text.</summary>
    public static string QualifiedName(DaprSecurityResult result)
        => string.Join('/', new[] { result.Context, result.Namespace, result.Kind, result.Name }.Where(p => p.Length > 0));
}
