using k8s.KubeConfigModels;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace DaprSecurity.Engine.Kubernetes;

/// <summary>
/// Reads one kubeconfig file into KubernetesClient's model with the settings <c>KubernetesClientConfiguration.LoadKubeConfig</c>
/// uses (camelCase names, unknown keys ignored, merge keys, untyped scalars typed), through a deserializer of its own:
/// the client's (<c>KubernetesYaml</c>) first maps the JSON names of every Kubernetes model type, three times over, which
/// cost a cold first command 0.3-0.9 s, while a kubeconfig needs a dozen types of its own.
/// </summary>
internal static class KubeConfigYaml
{
    private static readonly object s_gate = new();

    private static readonly IDeserializer s_deserializer = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .WithAttemptingUnquotedStringTypeDeserialization()
        .IgnoreUnmatchedProperties()
        .Build();

    /// <summary>The file's configuration; null when the file holds no document.</summary>
    public static K8SConfiguration? Read(FileInfo file)
    {
        using var reader = file.OpenText();
        lock (s_gate)
        {
            return s_deserializer.Deserialize<K8SConfiguration?>(new MergingParser(new Parser(reader)));
        }
    }
}
