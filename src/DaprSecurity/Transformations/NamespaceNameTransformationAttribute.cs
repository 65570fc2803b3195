using System.Collections;
using System.Management.Automation;
using DaprSecurity.Output;

namespace DaprSecurity.Transformations;

/// <summary>
/// Lets a -Namespace parameter take Kubernetes objects whose name is nested, such as the items of
/// <c>kubectl get ns -o json | ConvertFrom-Json</c> or KubernetesClient's V1Namespace: their metadata.name becomes the
/// namespace name. Strings pass through; other objects are left for binding by property name (Name, Namespace).
/// A piped kubeconfig context (Get-DaprContext) or file (Get-ChildItem) is never a namespace: it binds to -Context or
/// -Path, and here means every namespace for a cmdlet that reads (<see cref="ReadsAll"/>), or is refused for one that
/// changes things.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NamespaceNameTransformationAttribute : ArgumentTransformationAttribute
{
    /// <summary>A piped context or file reads every namespace of its cluster or files (Get cmdlets) instead of being refused.</summary>
    public bool ReadsAll { get; set; }

    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        => (inputData is PSObject wrapped ? wrapped.BaseObject : inputData) switch
        {
            null or string => inputData, // $null and '' are PowerShell's to refuse, with its own clear message
            DaprToken => throw new ArgumentTransformationMetadataException("A token is not a namespace. Name the namespaces with -Namespace, for example -Namespace prod-*."),
            DaprContextInfo or FileSystemInfo when ReadsAll => "*",
            DaprContextInfo context => throw new ArgumentTransformationMetadataException($"'{context.Name}' is a kubeconfig context, not a namespace. Name the namespaces with -Namespace; the context binds to -Context."),
            IList items => items.Cast<object>().Select(NameOf).ToArray(),
            _ => NameOf(inputData)!,
        };

    private static object? NameOf(object? item)
        => item is null ? null : PSObject.AsPSObject(item).Properties["metadata"]?.Value is { } metadata && PSObject.AsPSObject(metadata).Properties["name"]?.Value is string name
            ? name
            : item;
}
