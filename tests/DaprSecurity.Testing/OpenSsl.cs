using System.Diagnostics;
using System.Globalization;

namespace DaprSecurity.Module.Tests.Infrastructure;

/// <summary>The openssl command line, as an independent judge of the PEM the module reads and writes.</summary>
public static class OpenSsl
{
    /// <summary>Runs openssl with <paramref name="arguments"/>; returns exit code and stdout+stderr.</summary>
    public static (int ExitCode, string Output) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result);
    }

    /// <summary>NotAfter of the first certificate in <paramref name="pemFile"/>, from <c>openssl x509 -enddate -noout</c>.</summary>
    public static DateTime EndDate(string pemFile)
    {
        var (code, output) = Run("x509", "-enddate", "-noout", "-in", pemFile);
        if (code != 0)
        {
            throw new InvalidOperationException("openssl failed: " + output);
        }

        // notAfter=Aug 21 20:12:09 2027 GMT (day padded with a space when < 10)
        var text = output.Trim()["notAfter=".Length..].Replace("  ", " ", StringComparison.Ordinal);
        return DateTime.ParseExact(text, "MMM d HH:mm:ss yyyy 'GMT'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
    }
}
