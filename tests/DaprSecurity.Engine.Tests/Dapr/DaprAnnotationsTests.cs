using DaprSecurity.Engine.Dapr;
using Xunit;

namespace DaprSecurity.Engine.Tests.Dapr;

public sealed class DaprAnnotationsTests
{
    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("y", true)]
    [InlineData("YES", true)]
    [InlineData("t", true)]
    [InlineData("on", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("enabled", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Follows_daprs_truthy_rule(string? value, bool expected) => Assert.Equal(expected, DaprAnnotations.IsTruthy(value));
}
