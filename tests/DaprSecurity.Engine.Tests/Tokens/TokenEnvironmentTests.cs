using DaprSecurity.Abstractions;
using DaprSecurity.Engine.Tokens;
using DaprSecurity.Output;
using Xunit;

namespace DaprSecurity.Engine.Tests.Tokens;

public sealed class TokenEnvironmentTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("daprsec-dotenv-").FullName;

    [Fact]
    public void Dotenv_file_is_created_readable_only_by_its_owner()
    {
        var path = Path.Combine(_directory, "dapr.env");

        var result = TokenEnvironment.WriteDotEnv(Token("tok-123"), DaprTokenKind.Api, path);

        Assert.Equal("DAPR_API_TOKEN=tok-123\n", File.ReadAllText(path));
        Assert.Equal((path, "DAPR_API_TOKEN"), (result.Target, result.Variable));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.Single(Directory.GetFiles(_directory));
    }

    [Fact]
    public void Existing_lines_are_kept_and_the_variable_replaced_in_place()
    {
        var path = Path.Combine(_directory, "dapr.env");
        File.WriteAllText(path, "# comment\nexport APP_API_TOKEN=old\nOTHER=1\nAPP_API_TOKEN=older\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        TokenEnvironment.WriteDotEnv(Token("new-token"), DaprTokenKind.App, path);

        Assert.Equal("# comment\nexport APP_API_TOKEN=new-token\nOTHER=1\n", File.ReadAllText(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void Tokens_with_characters_dotenv_readers_interpret_are_single_quoted()
    {
        var path = Path.Combine(_directory, "dapr.env");

        TokenEnvironment.WriteDotEnv(Token("a$b#c"), DaprTokenKind.App, path);

        Assert.Equal("APP_API_TOKEN='a$b#c'\n", File.ReadAllText(path));
        var error = Assert.Throws<DaprSecurityException>(() => TokenEnvironment.WriteDotEnv(Token("a'$b"), DaprTokenKind.App, path));
        Assert.Equal("TokenNotDotEnvSafe", error.ErrorId);
        Assert.DoesNotContain("a'$b", error.Message);
    }

    [Fact]
    public void A_path_that_cannot_be_written_is_a_clear_write_error()
    {
        var notADirectory = Path.Combine(_directory, "file");
        File.WriteAllText(notADirectory, "");

        var error = Assert.Throws<DaprSecurityException>(() => TokenEnvironment.WriteDotEnv(Token("tok"), DaprTokenKind.App, Path.Combine(notADirectory, "dapr.env")));

        Assert.Equal(("FileWriteFailed", DaprErrorCategory.WriteError), (error.ErrorId, error.Category));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static DaprToken Token(string text) => TokenInspector.Describe(SecretText.ToSecureString(text), DaprTokenKind.App);
}
