using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Text;
using Xunit;

namespace DaprSecurity.Engine.Tests.Text;

public sealed class WildcardTests
{
    [Theory]
    [InlineData("prod-*", "prod-orders", true)]
    [InlineData("prod-*", "PROD-orders", true)]
    [InlineData("prod-*", "staging-prod-orders", false)]
    [InlineData("team-?", "team-a", true)]
    [InlineData("team-?", "team-ab", false)]
    [InlineData("team-[ab]", "team-b", true)]
    [InlineData("team-[ab]", "team-c", false)]
    [InlineData("a.b", "axb", false)]
    [InlineData("literal`*", "literal*", true)]
    [InlineData("literal`*", "literalx", false)]
    public void Matches_like_PowerShell(string pattern, string value, bool expected)
        => Assert.Equal(expected, new Wildcard(pattern).IsMatch(value));

    [Theory]
    [InlineData("prod-*", true)]
    [InlineData("team-?", true)]
    [InlineData("team-[ab]", true)]
    [InlineData("prod-orders", false)]
    [InlineData("literal`*", false)]
    public void Knows_a_wildcard_from_a_literal(string pattern, bool expected)
        => Assert.Equal(expected, Wildcard.HasWildcards(pattern));

    [Theory]
    [InlineData("[z-a]", "a [x-y] range is in reverse order")]
    [InlineData("prod-[9-0]*", "a [x-y] range is in reverse order")]
    [InlineData("team-[]", "a [ set is not closed")]
    public void A_pattern_that_cannot_be_parsed_is_a_catalogue_error_not_a_regex_exception(string pattern, string reason)
    {
        var error = Assert.Throws<DaprSecurityException>(() => new Wildcard(pattern));

        Assert.True(error.Is(DaprErrors.WildcardPatternInvalid));
        Assert.Equal($"'{pattern}' is not a valid wildcard pattern: {reason}.", error.Message);
        Assert.Equal(pattern, error.TargetObject);
    }
}
