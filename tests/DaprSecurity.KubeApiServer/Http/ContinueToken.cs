using System.Globalization;
using System.Text;

namespace DaprSecurity.KubeApiServer.Http;

/// <summary>The opaque <c>continue</c> token of a paged list: the list's revision and the last key returned.</summary>
internal static class ContinueToken
{
    private const string ExpiredMessage =
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

    public static string Encode(long revision, string ns, string name) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{revision}\n{ns}\n{name}"));

    /// <exception cref="ApiException">400 for a malformed token, 410 when its revision has been compacted away.</exception>
    public static (string Namespace, string Name) Decode(string token, long oldestResumableRevision)
    {
        string[] parts;
        try
        {
            parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('\n');
        }
        catch (FormatException)
        {
            parts = [];
        }
        if (parts.Length != 3 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var revision))
        {
            throw StatusResponses.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        }
        if (revision < oldestResumableRevision)
        {
            throw StatusResponses.Expired(ExpiredMessage);
        }
        return (parts[1], parts[2]);
    }
}
