namespace DaprSecurity.Commands;

/// <summary>Marks a cluster cmdlet that reads its clusters in parallel: it gets -ThrottleLimit (<see cref="ParallelReadParameters"/>). The help generator reads this mark too.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
internal sealed class ReadsClustersInParallelAttribute : Attribute
{
}
