using DaprSecurity.Text;
using Xunit;

namespace DaprSecurity.Engine.Tests.Text;

public sealed class UntrustedTextTests
{
    [Theory]
    [InlineData("orders", "orders")]
    [InlineData("a\r\nb\tc", @"a\r\nb\tc")]
    [InlineData("\u001b[31mred\u001b]0;t\u0007", @"\e[31mred\e]0;t\x07")]
    [InlineData("\u009b2J\u0085\u007f\u0000", @"\x9b2J\x85\x7f\x00")]
    [InlineData("a\u2028b\u202ec", @"a\u2028b\u202ec")]
    [InlineData("x ##vso[task.setvariable variable=a]1", @"x \#\#vso[task.setvariable variable=a]1")]
    [InlineData("##VSO[task.complete]", @"\#\#VSO[task.complete]")]
    [InlineData("##[error]forged", @"\#\#[error]forged")]
    [InlineData("::error::x", @":\:error:\:x")]
    [InlineData("# ## #[ ok", "# ## #[ ok")]
    public void Control_characters_are_escaped_and_log_command_openers_broken(string raw, string shown)
        => Assert.Equal(shown, UntrustedText.Sanitize(raw));

    [Fact]
    public void Long_text_is_cut_with_an_ellipsis_and_its_full_length()
    {
        var shown = UntrustedText.Sanitize(new string('a', 1024 * 1024));

        Assert.Equal(new string('a', 256) + "… (1048576 characters)", shown);
    }

    [Fact]
    public void A_message_keeps_its_own_line_breaks_but_no_line_can_start_a_command()
    {
        var shown = UntrustedText.SanitizeMessage("first\n##vso[task.complete result=Failed]\r\n::error::x");

        Assert.Equal("first\n\\#\\#vso[task.complete result=Failed]\n:\\:error:\\:x", shown);
    }

    [Fact]
    public void Null_is_shown_as_nothing()
        => Assert.Equal("", UntrustedText.Sanitize(null));
}
