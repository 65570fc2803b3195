using System.Management.Automation;
using DaprSecurity.Text;

namespace DaprSecurity.Transformations;

/// <summary>
/// Lets a -Name parameter take what <c>kubectl get -o name</c> prints, such as <c>deployment.apps/orders</c> or
/// <c>secret/app-api-token</c>: the name after the slash, when the kind is one the parameter names. A name of another
/// kind is an error (a Secret's name is never taken as a workload's). Plain names pass through.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class KubeNameTransformationAttribute : EachItemTransformationAttribute
{
    private readonly string _kind;

    /// <param name="kind">The kind of object the parameter names: Namespace, Secret, Component, or Workload (Deployment, StatefulSet, DaemonSet).</param>
    public KubeNameTransformationAttribute(string kind) => _kind = kind;

    private protected override object TransformItem(object item)
    {
        if ((item is PSObject wrapped ? wrapped.BaseObject : item) is not string || KubeObjectReference.From(item) is not { } reference)
        {
            return item;
        }

        return (reference.IsWorkload ? "Workload" : reference.Kind) == _kind
            ? reference.Name
            : throw new ArgumentTransformationMetadataException($"'{UntrustedText.Sanitize(item.ToString())}' names a {UntrustedText.Sanitize(reference.Kind)}; this parameter takes the name of a {(_kind == "Workload" ? "Deployment, StatefulSet or DaemonSet" : _kind)}.");
    }
}
