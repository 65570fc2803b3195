using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using DaprSecurity.KubeApiServer;
using DaprSecurity.KubeApiServer.Admin;
using DaprSecurity.KubeApiServer.Dapr;

// Standalone: dotnet run --project tests/DaprSecurity.KubeApiServer -- --kubeconfig PATH [options]; see README.md.
const string Usage =
    "usage: DaprSecurity.KubeApiServer --kubeconfig PATH [--lab | --dapr] [--app-namespaces N] [--control-plane-namespace NS] [--dapr-version V] [--seed FILE ...] [--latency-ms N] " +
    "[--controller-delay-ms N] [--port N] [--admin-port N] [--exit-with PID] [--manifests DIR]";

string? kubeconfig = null;
string? manifests = null;
var seeds = new List<string>();
var dapr = false;
var lab = false;
int? appNamespaces = null;
string? controlPlaneNamespace = null, daprVersion = null;
int? exitWith = null;
int latencyMs = 0, controllerDelayMs = 0, port = 0, adminPort = 0;
try
{
    for (var i = 0; i < args.Length; i++)
    {
        string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        int Number() => int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture);
        switch (args[i])
        {
            case "--kubeconfig": kubeconfig = Value(); break;
            case "--seed": seeds.Add(Value()); break;
            case "--dapr": dapr = true; break;
            case "--lab": lab = true; break;
            case "--app-namespaces": appNamespaces = Number(); break;
            case "--control-plane-namespace": controlPlaneNamespace = Value(); break;
            case "--dapr-version": daprVersion = Value(); break;
            case "--latency-ms": latencyMs = Number(); break;
            case "--controller-delay-ms": controllerDelayMs = Number(); break;
            case "--port": port = Number(); break;
            case "--admin-port": adminPort = Number(); break;
            case "--exit-with": exitWith = Number(); break;
            case "--manifests": manifests = Value(); break;
            case "-h" or "--help": Console.WriteLine(Usage); return 0;
            default: throw new ArgumentException($"unknown option {args[i]}");
        }
    }
    if (kubeconfig is null)
    {
        throw new ArgumentException("--kubeconfig is required");
    }
    if (lab && dapr)
    {
        throw new ArgumentException("--lab and --dapr are two different seeds; choose one");
    }
    if (lab && (controlPlaneNamespace ?? daprVersion) is not null)
    {
        throw new ArgumentException("--control-plane-namespace and --dapr-version shape the --dapr seed; the lab's control plane is fixed");
    }
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}

// Watch the parent before anything else, so a parent killed during start-up leaves no server behind.
Process? parent = null;
if (exitWith is { } parentId)
{
    try
    {
        parent = Process.GetProcessById(parentId);
    }
    catch (ArgumentException)
    {
        Console.Error.WriteLine($"--exit-with: no process {parentId}");
        return 2;
    }
}

await using var server = await KubeApiServer.StartAsync(new KubeApiServerOptions
{
    Port = port,
    Latency = TimeSpan.FromMilliseconds(latencyMs),
    ControllerDelay = TimeSpan.FromMilliseconds(controllerDelayMs),
});
if (lab || dapr || appNamespaces is not null || (controlPlaneNamespace ?? daprVersion) is not null)
{
    var defaults = new DaprSeedOptions();
    var seed = lab
        ? server.SeedLab(appNamespaces ?? 0)
        : server.SeedDapr(new DaprSeedOptions
        {
            AppNamespaces = appNamespaces is { } count ? DaprSeedOptions.Numbered(count) : defaults.AppNamespaces,
            ControlPlaneNamespace = controlPlaneNamespace ?? defaults.ControlPlaneNamespace,
            Version = daprVersion ?? defaults.Version,
        });
    Console.WriteLine($"Seeded Dapr in {seed.ControlPlaneNamespace} and {seed.AppNamespaces.Count} app namespaces: {string.Join(", ", seed.AppNamespaces.Take(10))}");
}
foreach (var file in seeds)
{
    try
    {
        Console.WriteLine($"Seeded {server.Apply(await File.ReadAllTextAsync(file)).Count} objects from {file}");
    }
    catch (Exception e) when (e is IOException or FormatException or ArgumentException or DaprSecurity.KubeApiServer.Http.ApiException)
    {
        Console.Error.WriteLine($"cannot seed {file}: {e.Message}");
        return 1;
    }
}
if (manifests is not null)
{
    LabSeed.WriteManifests(manifests);
    Console.WriteLine($"lab manifests: {Path.GetFullPath(manifests)}");
}
await using var admin = await AdminEndpoint.StartAsync(server, adminPort);
var path = server.WriteKubeconfig(kubeconfig);
Console.WriteLine($"Kubernetes API server listening on {server.Url}");
Console.WriteLine($"admin endpoint: {admin.Url}");
Console.WriteLine($"kubeconfig: {path}");
Console.WriteLine($"pid: {Environment.ProcessId}");
Console.WriteLine("Press Ctrl+C to stop.");

var stop = new TaskCompletionSource();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.TrySetResult(); });
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.TrySetResult(); });
if (parent is not null)
{
    _ = parent.WaitForExitAsync().ContinueWith(_ => stop.TrySetResult(), TaskScheduler.Default);
}
await stop.Task;
return 0;
