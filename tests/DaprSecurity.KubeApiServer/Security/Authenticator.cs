using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using DaprSecurity.KubeApiServer.Http;
using Microsoft.AspNetCore.Http;

namespace DaprSecurity.KubeApiServer.Security;

/// <summary>
/// Who is calling, and what they may do. A bearer token names a registered user; otherwise a client certificate issued by
/// the server's CA (validated during the TLS handshake) names the user by its CN. Users without rules may do anything.
/// </summary>
public sealed class Authenticator
{
    private readonly ConcurrentDictionary<string, KubeUser> _byName = new();
    private readonly ConcurrentDictionary<string, KubeUser> _byToken = new();

    public KubeUser Add(KubeUser user)
    {
        _byName[user.Name] = user;
        if (user.Token is not null)
        {
            _byToken[user.Token] = user;
        }
        return user;
    }

    public KubeUser? Find(string name) => _byName.GetValueOrDefault(name);

    /// <exception cref="ApiException">401 when the request carries no valid credentials.</exception>
    public KubeUser Authenticate(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return _byToken.GetValueOrDefault(header["Bearer ".Length..].Trim()) ?? throw StatusResponses.Unauthorized();
        }
        if (context.Connection.ClientCertificate?.GetNameInfo(X509NameType.SimpleName, forIssuer: false) is { Length: > 0 } commonName)
        {
            return Find(commonName) ?? new KubeUser(commonName, Token: null, Forbidden: []);
        }
        throw StatusResponses.Unauthorized();
    }

    /// <exception cref="ApiException">403 when a rule of the user forbids the request.</exception>
    public static void Authorize(KubeUser user, ApiRequest request)
    {
        if (request.Type is { } type && user.IsForbidden(request.Verb, type.Plural, request.Namespace))
        {
            throw StatusResponses.Forbidden(user.Name, request.Verb, type, request.Subresource, request.Namespace, request.Name);
        }
    }
}
