using System.Collections.Concurrent;
using System.Management.Automation;
using System.Reflection;
using DaprSecurity.Abstractions;
using DaprSecurity.Text;

namespace DaprSecurity.Validation;

/// <summary>
/// Checks a cmdlet's bound parameters against their <see cref="DaprInputAttribute"/> declarations, before the cmdlet
/// does anything with them (once for the command line, again for each pipeline object); its dynamic parameters
/// (the object <see cref="IDynamicParameters.GetDynamicParameters"/> returns) too.
/// </summary>
internal static class ParameterValidation
{
    private static readonly ConcurrentDictionary<Type, (PropertyInfo Property, DaprInputAttribute Input)[]> s_inputs = new();

    public static void Check(PSCmdlet cmdlet)
    {
        Check(cmdlet, cmdlet);
        if ((cmdlet as IDynamicParameters)?.GetDynamicParameters() is { } dynamicParameters)
        {
            Check(cmdlet, dynamicParameters);
        }
    }

    /// <summary>Checks the bound parameters declared on <paramref name="declaring"/>: the cmdlet, or its dynamic parameters object.</summary>
    private static void Check(PSCmdlet cmdlet, object declaring)
    {
        var bound = cmdlet.MyInvocation.BoundParameters;
        foreach (var (property, input) in s_inputs.GetOrAdd(declaring.GetType(), InputsOf))
        {
            if (bound.ContainsKey(property.Name))
            {
                var value = property.GetValue(declaring);
                InputRules.Check(input, property.Name, value, property.IsDefined(typeof(AllowEmptyCollectionAttribute), inherit: true));
                if (input.Kind == DaprInputKind.Pattern)
                {
                    CheckPowerShellPattern(property.Name, value);
                }
            }
        }
    }

    /// <summary>Context names and rule ids are matched by PowerShell's WildcardPattern, whose own parse errors become ours.</summary>
    private static void CheckPowerShellPattern(string parameter, object? value)
    {
        foreach (var pattern in value as string[] ?? (value is string single ? new[] { single } : Array.Empty<string>()))
        {
            try
            {
                WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase).IsMatch("");
            }
            catch (WildcardPatternException e)
            {
                throw DaprErrors.WildcardPatternInvalid.Raise($"-{parameter} '{UntrustedText.Sanitize(pattern)}' is not a valid wildcard pattern: a [ set is not closed or its range is reversed.", pattern, e);
            }
        }
    }

    private static (PropertyInfo, DaprInputAttribute)[] InputsOf(Type declaringType)
        => declaringType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Input: (DaprInputAttribute?)Attribute.GetCustomAttribute(p, typeof(DaprInputAttribute), inherit: true)))
            .Where(p => p.Input is not null)
            .Select(p => (p.Property, p.Input!))
            .ToArray();
}
