namespace DaprSecurity.KubeApiServer.Tests.Infrastructure;

/// <summary>Polls a condition that asynchronous controllers make true, failing after a generous limit.</summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<T?> probe, Func<T, bool> done, string what, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = probe();
            if (value is not null && done(value))
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}; last value: {value}");
            }
            await Task.Delay(50);
        }
    }
}
