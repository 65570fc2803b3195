using System.Text.RegularExpressions;
using DaprSecurity.Validation;

namespace DaprSecurity.Engine.Text;

/// <summary>
/// A PowerShell-style wildcard (see <see cref="WildcardSyntax"/>), case-insensitive, for the engine, which cannot use
/// PowerShell's WildcardPattern. A pattern that cannot be parsed is the error <c>WildcardPatternInvalid</c>.
/// </summary>
public sealed class Wildcard
{
    private readonly Regex _regex;

    public Wildcard(string pattern)
    {
        Pattern = pattern;
        _regex = WildcardSyntax.ToRegex(pattern);
    }

    public string Pattern { get; }

    public bool IsMatch(string value) => _regex.IsMatch(value);

    /// <inheritdoc cref="WildcardSyntax.HasWildcards"/>
    public static bool HasWildcards(string pattern) => WildcardSyntax.HasWildcards(pattern);
}
