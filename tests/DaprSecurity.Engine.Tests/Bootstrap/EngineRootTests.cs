using System.Reflection;
using DaprSecurity.Abstractions;
using DaprSecurity.Bootstrap;
using Xunit;

namespace DaprSecurity.Engine.Tests.Bootstrap;

public sealed class EngineRootTests
{
    [Fact]
    public void The_entry_point_the_module_looks_for_is_the_engines_one_implementation_of_IEngine()
    {
        var implementations = typeof(EngineRoot).Assembly.GetTypes().Where(t => t.IsClass && typeof(IEngine).IsAssignableFrom(t)).ToList();

        Assert.Equal(typeof(EngineRoot), Assert.Single(implementations));
        Assert.Equal(IEngine.TypeName, typeof(EngineRoot).FullName);
    }

    [Fact]
    public void Each_invocation_gets_its_own_stateful_services_and_shares_the_sessions_cluster_clients()
    {
        using var engine = new EngineRoot();

        var first = engine.ForInvocation();
        var second = engine.ForInvocation();

        Assert.NotSame(first.ComponentScopes, second.ComponentScopes);
        Assert.Same(first.Clusters, second.Clusters);
    }

    [Fact]
    public void The_module_hands_out_every_service_of_an_invocation_by_its_contract()
    {
        using var engine = new EngineRoot();
        var services = engine.ForInvocation();
        var get = typeof(EngineServices).GetMethods(BindingFlags.Public | BindingFlags.Static).Single(m => m.Name == nameof(EngineServices.Get) && m.GetParameters().Length == 1);

        foreach (var property in typeof(IEngineServices).GetProperties())
        {
            Assert.Same(property.GetValue(services), get.MakeGenericMethod(property.PropertyType).Invoke(null, new object[] { services }));
        }
    }
}
