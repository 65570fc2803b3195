using System.Text;
using System.Text.RegularExpressions;
using DaprSecurity.Abstractions;
using DaprSecurity.Engine.IO;
using DaprSecurity.Output;

namespace DaprSecurity.Engine.Tokens;

/// <summary>
/// Self-hosted mode: hands a token to daprd (or the app) started later, through this process's environment or a
/// dotenv file that only its owner can read (<see cref="OwnerOnlyFile"/>: never briefly readable by others). Callers
/// validate the token first (<see cref="TokenRules"/>).
/// </summary>
public static partial class TokenEnvironment
{
    public static DaprTokenEnvironmentResult SetProcess(DaprToken token, DaprTokenKind kind)
    {
        var variable = TokenKinds.EnvironmentVariable(kind);
        Environment.SetEnvironmentVariable(variable, SecretText.ToPlainText(token.Token));
        return Result(token, kind, "Process");
    }

    /// <summary>Sets the token's line in the dotenv file at <paramref name="path"/> (a full path), keeping every other line.</summary>
    public static DaprTokenEnvironmentResult WriteDotEnv(DaprToken token, DaprTokenKind kind, string path)
    {
        var variable = TokenKinds.EnvironmentVariable(kind);
        // A directory or a device (/dev/full) is refused before anything is written.
        var lines = InputFile.Exists(path, InputFile.PemMaxBytes, "dotenv") ? File.ReadAllLines(path).ToList() : new List<string>();
        var assignment = new Regex($@"^\s*(export\s+)?{variable}\s*=", RegexOptions.CultureInvariant);
        var at = lines.FindIndex(assignment.IsMatch);
        var exported = at >= 0 && lines[at].TrimStart().StartsWith("export ", StringComparison.Ordinal);
        lines.RemoveAll(assignment.IsMatch);
        lines.Insert(at >= 0 ? at : lines.Count, $"{(exported ? "export " : "")}{variable}={DotEnvValue(token)}");
        var content = Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n")));
        try
        {
            OwnerOnlyFile.Write(path, content, overwrite: true);
        }
        finally
        {
            Array.Clear(content);
        }

        return Result(token, kind, path);
    }

    private static DaprTokenEnvironmentResult Result(DaprToken token, DaprTokenKind kind, string target)
        => new() { Variable = TokenKinds.EnvironmentVariable(kind), Kind = kind, Target = target, Fingerprint = token.Fingerprint };

    /// <summary>The token as a dotenv value: bare when it has only characters no dotenv dialect treats specially, else single-quoted.</summary>
    private static string DotEnvValue(DaprToken token)
    {
        var plain = SecretText.ToPlainText(token.Token);
        if (BareValue().IsMatch(plain))
        {
            return plain;
        }

        if (!plain.Contains('\''))
        {
            return $"'{plain}'";
        }

        throw DaprErrors.TokenNotDotEnvSafe.Raise($"The token {token.Fingerprint} contains both a single quote and characters that dotenv readers interpret ($, #, quotes), so it cannot be written to a dotenv file safely.",
            token.Fingerprint,
            recommendedAction: "Use a token from New-DaprAppToken, or set it for the current process instead of a file.");
    }

    [GeneratedRegex("^[A-Za-z0-9._~+/=-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex BareValue();
}
