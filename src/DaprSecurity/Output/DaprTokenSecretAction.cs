namespace DaprSecurity.Output;

/// <summary>What Set-DaprTokenSecret or Remove-DaprTokenSecret did to one namespace's secret.</summary>
public enum DaprTokenSecretAction
{
    /// <summary>The secret did not exist and was created.</summary>
    Created,

    /// <summary>The secret held another token and now holds this one; its other keys, labels and annotations were kept.</summary>
    Updated,

    /// <summary>The secret already held this token; nothing was written.</summary>
    Unchanged,

    /// <summary>The secret was deleted.</summary>
    Removed,
}
