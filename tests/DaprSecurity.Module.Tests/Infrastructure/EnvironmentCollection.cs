using Xunit;

namespace DaprSecurity.Module.Tests.Infrastructure;

/// <summary>Tests that change process-wide state (environment variables such as KUBECONFIG) run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentCollection
{
    public const string Name = "Process environment";
}
