using DaprSecurity.Engine.DevOps;
using Xunit;

namespace DaprSecurity.Engine.Tests.DevOps;

public sealed class AzurePipelinesTests
{
    [Fact]
    public void Data_escapes_percent_and_line_breaks_so_text_cannot_start_another_command()
        => Assert.Equal("100%AZP25 done%0D%0A##vso[task.complete]", AzurePipelines.EscapeData("100% done\r\n##vso[task.complete]"));

    [Fact]
    public void Properties_also_escape_the_characters_that_end_a_property_or_the_command()
        => Assert.Equal("a%3Bb%5Dc%AZP25", AzurePipelines.EscapeProperty("a;b]c%"));

    [Fact]
    public void Secret_variable_command_marks_the_variable_secret()
        => Assert.Equal("##vso[task.setvariable variable=TOKEN;issecret=true]abc%AZP25", AzurePipelines.SetSecretVariable("TOKEN", "abc%"));
}
