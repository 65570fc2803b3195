using System.Collections;
using System.Management.Automation;

namespace DaprSecurity.Transformations;

/// <summary>A transformation of a parameter that takes one value or a list: each item is transformed on its own.</summary>
public abstract class EachItemTransformationAttribute : ArgumentTransformationAttribute
{
    public sealed override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        => (inputData is PSObject wrapped ? wrapped.BaseObject : inputData) is IList items
            ? items.Cast<object>().Select(TransformItem).ToArray()
            : TransformItem(inputData);

    /// <summary>The value for one item (unchanged when it is not one this transformation knows).</summary>
    private protected abstract object TransformItem(object item);
}
