namespace DaprSecurity.Module.Tests.Infrastructure;

/// <summary>Writes throwaway kubeconfig files into a temp directory deleted on dispose.</summary>
public sealed class KubeConfigFiles : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("daprsec-kubeconfig-").FullName;

    /// <summary>A kubeconfig with one cluster, one token user and one context per name in <paramref name="contexts"/>.</summary>
    public string Write(string fileName, string currentContext, params string[] contexts)
    {
        var text = "apiVersion: v1\nkind: Config\n"
            + $"current-context: {currentContext}\n"
            + "clusters:\n" + string.Concat(contexts.Select(c => $"- name: {c}-cluster\n  cluster:\n    server: https://{c}.example.invalid:6443\n"))
            + "users:\n" + string.Concat(contexts.Select(c => $"- name: {c}-user\n  user:\n    token: not-a-real-token-{c}\n"))
            + "contexts:\n" + string.Concat(contexts.Select(c => $"- name: {c}\n  context:\n    cluster: {c}-cluster\n    user: {c}-user\n    namespace: ns-{c}\n"));
        return WriteRaw(fileName, text);
    }

    public string WriteRaw(string fileName, string text)
    {
        var path = Path.Combine(Directory, fileName);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
