using DaprSecurity.Engine.DevOps;
using Xunit;

namespace DaprSecurity.Engine.Tests.DevOps;

public sealed class AzurePipelinesTests
{
    [Fact]
    public void LogIssue_writes_type_and_code_properties_then_the_message()
    {
        Assert.Equal("##vso[task.logissue type=error;code=IssuerValidity]Issuer expired", AzurePipelines.LogIssue(isError: true, "Issuer expired", "IssuerValidity"));
        Assert.Equal("##vso[task.logissue type=warning]Root expires soon", AzurePipelines.LogIssue(isError: false, "Root expires soon"));
    }

    [Theory]
    [InlineData("100%", "100%AZP25")]
    [InlineData("a\r\nb", "a%0D%0Ab")]
    [InlineData("x]y;z", "x%5Dy%3Bz")]
    public void Escapes_what_the_task_library_escapes(string text, string escaped)
        => Assert.Equal(escaped, AzurePipelines.Escape(text));

    [Theory]
    [InlineData("pod ##vso[task.setvariable variable=x]1")]
    [InlineData("pod ##VSO[task.complete result=Succeeded]")]
    [InlineData("line\n##vso[task.setsecret]x")]
    [InlineData("name ##[error]forged")]
    [InlineData("a%0A##vso[task.complete]")]
    public void Cluster_text_cannot_start_another_command_or_line(string hostile)
    {
        var line = AzurePipelines.LogIssue(isError: false, hostile);

        Assert.Equal(1, CountOccurrences(line, "##vso["));
        Assert.StartsWith("##vso[task.logissue type=warning]", line);
        Assert.DoesNotContain("##[", line);
        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain('\r', line);
        Assert.DoesNotContain(']', line["##vso[task.logissue type=warning]".Length..]);
    }

    [Fact]
    public void Property_values_cannot_close_the_property_list()
    {
        var line = AzurePipelines.Command("task.logissue", new[] { new KeyValuePair<string, string>("code", "a];type=error") }, "m");

        Assert.Equal("##vso[task.logissue code=a%5D%3Btype=error]m", line);
    }

    [Fact]
    public void Detects_an_Azure_Pipelines_agent_by_TF_BUILD()
    {
        var saved = Environment.GetEnvironmentVariable("TF_BUILD");
        try
        {
            Environment.SetEnvironmentVariable("TF_BUILD", "True");
            Assert.True(AzurePipelines.IsActive);
            Environment.SetEnvironmentVariable("TF_BUILD", null);
            Assert.False(AzurePipelines.IsActive);
        }
        finally
        {
            Environment.SetEnvironmentVariable("TF_BUILD", saved);
        }
    }

    private static int CountOccurrences(string text, string value)
        => (text.Length - text.Replace(value, "", StringComparison.OrdinalIgnoreCase).Length) / value.Length;
}
