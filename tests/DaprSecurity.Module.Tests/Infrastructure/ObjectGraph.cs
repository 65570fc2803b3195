using System.Collections;
using System.Management.Automation;
using System.Reflection;
using System.Text;

namespace DaprSecurity.Module.Tests.Infrastructure;

/// <summary>
/// Every string reachable from an object through its public properties, recursively, each object visited once
/// (cycles are cut). Byte arrays count as their UTF-8 text and their base64. PowerShell's engine objects
/// (commands, modules, session state) and reflection objects are not entered: they hold the whole runspace.
/// </summary>
public static class ObjectGraph
{
    private const int MaxItems = 10_000;

    public static IReadOnlyList<string> Strings(IEnumerable<object?> roots)
    {
        var found = new List<string>();
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<object?>(roots);
        while (pending.Count > 0)
        {
            var value = pending.Pop();
            switch (value)
            {
                case null or Type or MemberInfo or Assembly or Delegate or Pointer or CancellationToken or WaitHandle or Task or Thread or System.Runtime.InteropServices.SafeHandle:
                    continue;
                case string text:
                    found.Add(text);
                    continue;
                case byte[] bytes:
                    found.Add(Encoding.UTF8.GetString(bytes));
                    found.Add(Convert.ToBase64String(bytes));
                    continue;
                case Enum or ValueType:
                    found.Add(value.ToString() ?? "");
                    continue;
            }

            if (!seen.Add(value) || !Enters(value.GetType()))
            {
                continue;
            }

            switch (value)
            {
                case PSObject ps:
                    pending.Push(ps.BaseObject);
                    foreach (var property in ps.Properties.Where(p => p.MemberType is PSMemberTypes.NoteProperty))
                    {
                        pending.Push(property.Value);
                    }

                    continue;
                case IDictionary dictionary:
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        pending.Push(entry.Key);
                        pending.Push(entry.Value);
                    }

                    break;
                case IEnumerable items:
                    foreach (var item in items.Cast<object?>().Take(MaxItems))
                    {
                        pending.Push(item);
                    }

                    break;
            }

            foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetIndexParameters().Length == 0 && property.GetMethod is not null)
                {
                    pending.Push(Read(property, value));
                }
            }
        }

        return found;
    }

    /// <summary>PowerShell's own objects are entered only where an error or its message lives; the rest is the runspace.</summary>
    private static bool Enters(Type type)
    {
        if (type.Namespace?.StartsWith("System.Management.Automation", StringComparison.Ordinal) != true)
        {
            return type.Namespace?.StartsWith("System.Reflection", StringComparison.Ordinal) != true;
        }

        return type == typeof(ErrorRecord) || type == typeof(ErrorDetails) || type == typeof(ErrorCategoryInfo) || type == typeof(PSObject)
            || typeof(Exception).IsAssignableFrom(type) || type == typeof(PSCustomObject);
    }

    private static object? Read(PropertyInfo property, object owner)
    {
        try
        {
            return property.GetValue(owner);
        }
        catch (Exception e) when (e is TargetInvocationException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }
}
