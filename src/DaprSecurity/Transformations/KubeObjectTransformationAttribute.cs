using System.Management.Automation;
using DaprSecurity.Output;
using DaprSecurity.Text;

namespace DaprSecurity.Transformations;

/// <summary>
/// Lets an -InputObject parameter take Kubernetes objects by their kind, as <c>kubectl get -o json | ConvertFrom-Json</c>
/// gives them: Deployment, StatefulSet and DaemonSet items become workloads (<see cref="DaprWorkloadInfo"/>), Secret
/// items token secrets (<see cref="DaprTokenSecretInfo"/>), Component items components (<see cref="DaprComponentScope"/>),
/// each with its namespace and name. Anything else is left for the cmdlet's other parameters (a Namespace item binds to
/// -Namespace, which also gives the error for a kind the cmdlet does not take).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class KubeObjectTransformationAttribute : EachItemTransformationAttribute
{
    private readonly Type _target;

    /// <param name="target">The parameter's element type: DaprWorkloadInfo, DaprTokenSecretInfo or DaprComponentScope.</param>
    public KubeObjectTransformationAttribute(Type target) => _target = target;

    /// <summary>
    /// A reader's -InputObject, in its default parameter set: an item of a kind neither it nor -Namespace takes is refused
    /// here, naming the kinds the reader takes (-Namespace, which would refuse it next, knows only its own kind).
    /// </summary>
    public bool RefusesOtherKinds { get; set; }

    private protected override object TransformItem(object item)
    {
        if (KubeObjectReference.From(item) is not { } reference)
        {
            return item;
        }

        if (reference.Kind != KindOf(_target) && !(reference.IsWorkload && _target == typeof(DaprWorkloadInfo)))
        {
            return !RefusesOtherKinds || reference.Kind == KubeObjectReference.NamespaceKind
                ? item
                : throw new ArgumentTransformationMetadataException($"'{UntrustedText.Sanitize(reference.ToString())}' is a {UntrustedText.Sanitize(reference.Kind)}, which this command does not take. {KubeObjectReference.TakenKinds(new[] { _target == typeof(DaprWorkloadInfo) ? "Workload" : KindOf(_target) })}");
        }

        if (reference.Namespace is null)
        {
            throw new ArgumentTransformationMetadataException($"'{UntrustedText.Sanitize($"{reference.Kind.ToLowerInvariant()}/{reference.Name}")}' does not say its namespace. Pipe the items of kubectl get -o json | ConvertFrom-Json, or name it with -Namespace and -Name.");
        }

        return reference.Kind switch
        {
            KubeObjectReference.SecretKind => new DaprTokenSecretInfo { Namespace = reference.Namespace, SecretName = reference.Name },
            KubeObjectReference.ComponentKind => new DaprComponentScope { Namespace = reference.Namespace, Name = reference.Name, Source = "cluster" },
            _ => new DaprWorkloadInfo { Namespace = reference.Namespace, Kind = Enum.Parse<DaprWorkloadKind>(reference.Kind), Name = reference.Name },
        };
    }

    private static string KindOf(Type target)
        => target == typeof(DaprTokenSecretInfo) ? KubeObjectReference.SecretKind
            : target == typeof(DaprComponentScope) ? KubeObjectReference.ComponentKind
            : "";
}
