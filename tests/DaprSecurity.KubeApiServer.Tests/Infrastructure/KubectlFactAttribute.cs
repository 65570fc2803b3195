namespace DaprSecurity.KubeApiServer.Tests.Infrastructure;

/// <summary>A fact that needs the real kubectl; skipped, saying why, on machines without it.</summary>
public sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute()
    {
        if (!File.Exists(Kubectl.Path))
        {
            Skip = $"kubectl is not installed at {Kubectl.Path}";
        }
    }
}
