namespace DaprSecurity.Commands;

/// <summary>Marks a cluster cmdlet that restarts Dapr workloads in waves of namespaces: it gets -Canary, -Wave and -ThrottleLimit (<see cref="RolloutWaveParameters"/>). The help generator reads this mark too.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
internal sealed class RestartsInWavesAttribute : Attribute
{
}
