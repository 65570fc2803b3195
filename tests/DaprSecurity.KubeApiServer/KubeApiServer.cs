using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using DaprSecurity.KubeApiServer.Controllers;
using DaprSecurity.KubeApiServer.Dapr;
using DaprSecurity.KubeApiServer.Diagnostics;
using DaprSecurity.KubeApiServer.Discovery;
using DaprSecurity.KubeApiServer.Faults;
using DaprSecurity.KubeApiServer.Http;
using DaprSecurity.KubeApiServer.Manifests;
using DaprSecurity.KubeApiServer.Resources;
using DaprSecurity.KubeApiServer.Security;
using DaprSecurity.KubeApiServer.Semantics;
using DaprSecurity.KubeApiServer.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DaprSecurity.KubeApiServer;

/// <summary>
/// An in-memory Kubernetes API server on <c>https://127.0.0.1:PORT</c> for tests: the real kubectl and KubernetesClient
/// talk to it through the kubeconfig it writes. Start one with <see cref="StartAsync"/> and dispose it to stop it.
/// </summary>
public sealed class KubeApiServer : IAsyncDisposable
{
    public const string AdminUser = "admin";

    private readonly WebApplication _host;
    private readonly CertificateAuthority _authority = CertificateAuthority.Create();
    private readonly Authenticator _authenticator = new();
    private readonly ResourceOperations _operations;
    private readonly ControllerManager _controllers;
    private readonly CancellationTokenSource _stopping = new();
    private readonly DirectoryInfo _workDirectory = Directory.CreateTempSubdirectory("kube-api-server-");
    private readonly List<Exception> _controllerErrors = [];

    private KubeApiServer(KubeApiServerOptions options)
    {
        _authenticator.Add(new KubeUser(AdminUser, options.AdminToken ?? RandomToken(), []));
        _operations = new ResourceOperations(new ObjectStore(options.EventLogCapacity), new SidecarInjector());
        _controllers = new ControllerManager(_operations, options.ControllerDelay, RecordControllerError, _stopping.Token);
        _operations.Create(ResourceRegistry.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } });
        Faults = new FaultInjector(options.RandomSeed) { Latency = options.Latency, Jitter = options.LatencyJitter };
        var endpoint = new ApiEndpoint(Resources, new DiscoveryDocuments(Resources), new OpenApiDocuments(Resources),
            new ResourceEndpoint(_operations, _stopping.Token), _authenticator, Faults, Requests, _stopping.Token);
        _host = BuildHost(_authority, options.Port, endpoint);
    }

    /// <summary><c>https://127.0.0.1:PORT</c>.</summary>
    public string Url { get; private set; } = "";

    public int Port { get; private set; }

    /// <summary>A kubeconfig for the admin user, in a temporary directory deleted on dispose.</summary>
    public string KubeconfigPath { get; private set; } = "";

    public string AdminToken => _authenticator.Find(AdminUser)!.Token!;

    /// <summary>The CA that signed the serving certificate and issues client certificates.</summary>
    public string CertificateAuthorityPem => _authority.CertificatePem;

    public ResourceRegistry Resources => ResourceRegistry.Default;

    /// <summary>Latency and failure injection for the following requests.</summary>
    public FaultInjector Faults { get; }

    /// <summary>Counters and a log of the requests served.</summary>
    public RequestLog Requests { get; } = new();

    /// <summary>Failures inside the controllers so far (normally none); for diagnosing a rollout that did not happen.</summary>
    public IReadOnlyList<Exception> ControllerErrors
    {
        get
        {
            lock (_controllerErrors)
            {
                return _controllerErrors.ToList();
            }
        }
    }

    public static async Task<KubeApiServer> StartAsync(KubeApiServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var server = new KubeApiServer(options ?? new KubeApiServerOptions());
        await server._host.StartAsync(cancellationToken);
        server.Port = new Uri(server._host.Urls.First()).Port;
        server.Url = $"https://127.0.0.1:{server.Port}";
        server.KubeconfigPath = server.WriteKubeconfig(Path.Combine(server._workDirectory.FullName, "kubeconfig"));
        return server;
    }

    /// <summary>Registers a user who authenticates with <paramref name="token"/> (or only by client certificate when null).</summary>
    /// <example><c>server.AddUser("reader", "reader-token", AccessRule.Forbid("create,update,patch,delete", "secrets"))</c></example>
    public KubeUser AddUser(string name, string? token = null, params AccessRule[] forbidden) =>
        _authenticator.Add(new KubeUser(name, token, forbidden));

    /// <summary>A client certificate (CN = <paramref name="user"/>) signed by the server's CA.</summary>
    public PemCredential IssueClientCertificate(string user, string? group = null) => _authority.IssueClientCertificate(user, group);

    /// <summary>
    /// Writes a kubeconfig for <paramref name="user"/>, with its token or, when <paramref name="clientCertificate"/> is set,
    /// a freshly issued client certificate. Returns the full path.
    /// </summary>
    public string WriteKubeconfig(string path, string user = AdminUser, bool clientCertificate = false, string defaultNamespace = "default")
    {
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        File.WriteAllText(fullPath, RenderKubeconfig(user, defaultNamespace, clientCertificate));
        return fullPath;
    }

    /// <summary>The text of the kubeconfig <see cref="WriteKubeconfig"/> writes.</summary>
    public string RenderKubeconfig(string user = AdminUser, string defaultNamespace = "default", bool clientCertificate = false)
    {
        KubeconfigCredential credential = clientCertificate
            ? new KubeconfigCredential.ClientCertificate(IssueClientCertificate(user))
            : new KubeconfigCredential.Token(_authenticator.Find(user)?.Token
                ?? throw new ArgumentException($"user \"{user}\" has no token; add it with AddUser or use a client certificate", nameof(user)));
        return KubeconfigWriter.Render(Url, CertificateAuthorityPem, user, credential, defaultNamespace);
    }

    /// <summary>
    /// An <see cref="HttpClient"/> for raw requests: base address <see cref="Url"/>, trusting the server's CA, authenticated
    /// with the token of <paramref name="user"/> (or with no credentials when null).
    /// </summary>
    public HttpClient CreateHttpClient(string? user = AdminUser)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            using var presented = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return presented is not null && _authority.Issued(presented);
        };
        var client = new HttpClient(handler) { BaseAddress = new Uri(Url) };
        if (user is not null)
        {
            var token = _authenticator.Find(user)?.Token ?? throw new ArgumentException($"user \"{user}\" has no token", nameof(user));
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary>Installs a Dapr control plane, trust bundle and app namespaces (see <see cref="DaprSeed"/>).</summary>
    public DaprSeedResult SeedDapr(DaprSeedOptions? options = null)
    {
        options ??= new DaprSeedOptions();
        var bundle = options.TrustBundle
            ?? TrustBundle.Generate("cluster.local", options.ControlPlaneNamespace, options.CertificateValidity, TimeSpan.FromMinutes(15));
        Apply(DaprSeed.Render(options, bundle));
        return new DaprSeedResult(options.ControlPlaneNamespace, bundle, options.AppNamespaces);
    }

    /// <summary>
    /// Installs the lab (see <see cref="LabSeed"/>): the control plane with an issuer expiring in 20 days, and the three app
    /// namespaces, plus <paramref name="appNamespaces"/> more in the "Dapr installed" style, <c>app-0001</c> onwards.
    /// </summary>
    public DaprSeedResult SeedLab(int appNamespaces = 0)
    {
        var seed = SeedDapr(new DaprSeedOptions { TrustBundle = LabSeed.TrustBundle(ControlPlane.DefaultNamespace), AppNamespaces = DaprSeedOptions.Numbered(appNamespaces) });
        Apply(LabSeed.Render());
        return seed with { AppNamespaces = [.. LabSeed.AppNamespaces, .. seed.AppNamespaces] };
    }

    /// <summary>Creates or replaces every object in <paramref name="manifests"/> (YAML or JSON), in order; returns them as stored.</summary>
    public IReadOnlyList<JsonObject> Apply(string manifests) =>
        ManifestLoader.Parse(manifests).Select(obj =>
        {
            var type = Resources.FindByKind(obj.Text("apiVersion") ?? "", obj.Text("kind") ?? "")
                ?? throw new ArgumentException($"no served resource for {obj.Text("apiVersion")} {obj.Text("kind")}");
            return _operations.CreateOrReplace(type, obj).Object.ToJsonObject();
        }).ToList();

    /// <summary>The stored object (a private copy), or null. For example <c>Get("", "v1", "secrets", "ns", "name")</c>.</summary>
    public JsonObject? Get(string group, string version, string resource, string? ns, string name) =>
        _operations.Store.GetCopy(ObjectKey.For(Type(group, version, resource), ns, name));

    /// <summary>The stored objects of a resource, in one namespace or all, in (namespace, name) order.</summary>
    public IReadOnlyList<JsonObject> List(string group, string version, string resource, string? ns = null)
    {
        var type = Type(group, version, resource);
        return _operations.Store.List(type.Group, type.Plural, ns).Items.Select(i => i.ToJsonObject()).ToList();
    }

    /// <summary>Deletes an object directly (dependents and namespace contents go too); false when it did not exist.</summary>
    public bool Delete(string group, string version, string resource, string? ns, string name)
    {
        try
        {
            _operations.Delete(Type(group, version, resource), ns, name);
            return true;
        }
        catch (ApiException missing) when (missing.Code == 404)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _operations.Store.CloseWatches();
        await _host.StopAsync();
        await _controllers.DisposeAsync();
        await _host.DisposeAsync();
        _authority.Dispose();
        _stopping.Dispose();
        _workDirectory.Delete(recursive: true);
    }

    private void RecordControllerError(Exception error)
    {
        lock (_controllerErrors)
        {
            _controllerErrors.Add(error);
        }
    }

    private ResourceType Type(string group, string version, string resource) =>
        Resources.Find(group, version, resource) ?? throw new ArgumentException($"{resource} is not served in {group}/{version}");

    private static WebApplication BuildHost(CertificateAuthority authority, int port, ApiEndpoint endpoint)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var serverCertificate = authority.IssueServerCertificate();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = serverCertificate,
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                    ClientCertificateValidation = (certificate, _, _) => authority.Issued(certificate),
                    CheckCertificateRevocation = false,
                });
            });
        });
        var app = builder.Build();
        app.Run(endpoint.HandleAsync);
        return app;
    }

    private static string RandomToken() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
}
