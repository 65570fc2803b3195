namespace DaprSecurity.Module.Tests.Infrastructure;

/// <summary>Waiting for what the server's controllers report asynchronously, without sleeping for a fixed time.</summary>
public static class Polling
{
    /// <summary>
    /// Re-reads until <paramref name="done"/> holds (controllers report readiness asynchronously); fails the test, showing
    /// the last value read, when it does not hold within 30 s.
    /// </summary>
    public static T Eventually<T>(Func<T> read, Func<T, bool> done)
    {
        var value = default(T)!;
        if (!SpinWait.SpinUntil(() => done(value = read()), TimeSpan.FromSeconds(30)))
        {
            throw new Xunit.Sdk.XunitException($"The condition did not hold within 30 s; last read: {Describe(value)}");
        }

        return value;
    }

    private static string Describe<T>(T value) => value is System.Collections.IEnumerable items and not string
        ? "[" + string.Join(", ", items.Cast<object?>()) + "]"
        : value?.ToString() ?? "null";
}
