using System.Globalization;
using System.Runtime.InteropServices;
using DaprSecurity.KubeApiServer;
using DaprSecurity.KubeApiServer.Dapr;

// Standalone: dotnet run --project tests/DaprSecurity.KubeApiServer -- --kubeconfig PATH [--seed FILE ...] [--dapr]
//   [--latency-ms N] [--controller-delay-ms N] [--port N]
const string Usage =
    "usage: DaprSecurity.KubeApiServer --kubeconfig PATH [--seed FILE ...] [--dapr] [--latency-ms N] [--controller-delay-ms N] [--port N]";

string? kubeconfig = null;
var seeds = new List<string>();
var dapr = false;
int latencyMs = 0, controllerDelayMs = 0, port = 0;
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
            case "--latency-ms": latencyMs = Number(); break;
            case "--controller-delay-ms": controllerDelayMs = Number(); break;
            case "--port": port = Number(); break;
            case "-h" or "--help": Console.WriteLine(Usage); return 0;
            default: throw new ArgumentException($"unknown option {args[i]}");
        }
    }
    if (kubeconfig is null)
    {
        throw new ArgumentException("--kubeconfig is required");
    }
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}

await using var server = await KubeApiServer.StartAsync(new KubeApiServerOptions
{
    Port = port,
    Latency = TimeSpan.FromMilliseconds(latencyMs),
    ControllerDelay = TimeSpan.FromMilliseconds(controllerDelayMs),
});
if (dapr)
{
    var seed = server.SeedDapr(new DaprSeedOptions());
    Console.WriteLine($"Seeded Dapr in {seed.ControlPlaneNamespace} and {string.Join(", ", seed.AppNamespaces)}");
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
var path = server.WriteKubeconfig(kubeconfig);
Console.WriteLine($"Kubernetes API server listening on {server.Url}");
Console.WriteLine($"kubeconfig: {path}");
Console.WriteLine("Press Ctrl+C to stop.");

var stop = new TaskCompletionSource();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.TrySetResult(); });
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.TrySetResult(); });
await stop.Task;
return 0;
