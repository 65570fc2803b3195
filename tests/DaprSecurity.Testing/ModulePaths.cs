namespace DaprSecurity.Module.Tests.Infrastructure;

/// <summary>Where the built module lives: out/DaprSecurity under the repository root.</summary>
public static class ModulePaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string ModuleDirectory => Path.Combine(RepositoryRoot, "out", "DaprSecurity");

    public static string Manifest => Path.Combine(ModuleDirectory, "DaprSecurity.psd1");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DaprSecurity.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("DaprSecurity.sln not found above " + AppContext.BaseDirectory);
    }
}
