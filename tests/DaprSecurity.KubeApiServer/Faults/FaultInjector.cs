using DaprSecurity.KubeApiServer.Http;

namespace DaprSecurity.KubeApiServer.Faults;

/// <summary>
/// Per-test latency and failures. Latency is <see cref="Latency"/> plus a uniform random share of <see cref="Jitter"/>.
/// Rules are checked in the order added; the first that matches and fires decides. Randomness comes from one seeded
/// <see cref="Random"/>, so a run with the same seed and request order fails the same requests.
/// </summary>
public sealed class FaultInjector(int seed)
{
    private readonly Lock _gate = new();
    private readonly List<FaultRule> _rules = [];
    private Random _random = new(seed);

    public TimeSpan Latency { get; set; }

    public TimeSpan Jitter { get; set; }

    public FaultRule Add(FaultRule rule)
    {
        lock (_gate)
        {
            _rules.Add(rule);
        }
        return rule;
    }

    /// <summary>Removes every rule and the latency, and reseeds the random source.</summary>
    public void Reset(int? seed = null)
    {
        lock (_gate)
        {
            _rules.Clear();
            Latency = TimeSpan.Zero;
            Jitter = TimeSpan.Zero;
            _random = new Random(seed ?? 0);
        }
    }

    internal TimeSpan NextDelay()
    {
        lock (_gate)
        {
            return Jitter <= TimeSpan.Zero ? Latency : Latency + Jitter * _random.NextDouble();
        }
    }

    internal FaultRule? Pick(ApiRequest request)
    {
        lock (_gate)
        {
            foreach (var rule in _rules)
            {
                if (rule.Matches(request) && (rule.Probability >= 1.0 || _random.NextDouble() < rule.Probability) && rule.TryFire())
                {
                    return rule;
                }
            }
            return null;
        }
    }
}
