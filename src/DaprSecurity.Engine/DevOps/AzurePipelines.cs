namespace DaprSecurity.Engine.DevOps;

/// <summary>
/// Azure Pipelines logging commands (<c>##vso[area.action k=v;...]data</c>), escaped the way azure-pipelines-task-lib
/// does it, so that text we did not write cannot end a command early or start another one.
/// </summary>
public static class AzurePipelines
{
    /// <summary>True inside an Azure Pipelines job (the agent sets TF_BUILD=True).</summary>
    public static bool IsRunning => string.Equals(Environment.GetEnvironmentVariable("TF_BUILD"), "True", StringComparison.OrdinalIgnoreCase);

    /// <summary>Escapes a command's data (the text after the closing bracket).</summary>
    public static string EscapeData(string value) => value.Replace("%", "%AZP25").Replace("\r", "%0D").Replace("\n", "%0A");

    /// <summary>Escapes a property value (inside the brackets).</summary>
    public static string EscapeProperty(string value) => EscapeData(value).Replace("]", "%5D").Replace(";", "%3B");

    /// <summary>A task.setvariable command for a secret variable: the agent masks the value in every later log line.</summary>
    public static string SetSecretVariable(string name, string value) => $"##vso[task.setvariable variable={EscapeProperty(name)};issecret=true]{EscapeData(value)}";
}
