using System.Collections.Concurrent;
using OneHop.Core.Demo;

namespace OneHop.IntegrationTests.Support;

/// <summary>Real HTTP "pods" on their own loopback addresses, all on one port, like a Deployment's pods.</summary>
internal sealed class TestPods : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, DemoPod> _pods = new();

    private TestPods(int port)
    {
        Port = port;
    }

    public int Port { get; }

    public IEnumerable<DemoPod> All => _pods.Values;

    public DemoPod this[string name] => _pods[name];

    public static async Task<TestPods> StartAsync(string service, int count, CancellationToken cancellationToken)
    {
        var first = await DemoPod.StartAsync(new DemoPodOptions($"{service}-0", service, LoopbackAddresses.Next(), 0), cancellationToken);
        var pods = new TestPods(first.Port);
        pods._pods[first.Options.Name] = first;
        for (var i = 1; i < count; i++)
        {
            await pods.AddAsync(service, $"{service}-{i}", cancellationToken);
        }

        return pods;
    }

    public async Task<DemoPod> AddAsync(string service, string name, CancellationToken cancellationToken)
    {
        var pod = await DemoPod.StartAsync(new DemoPodOptions(name, service, LoopbackAddresses.Next(), Port), cancellationToken);
        _pods[name] = pod;
        return pod;
    }

    /// <summary>Stops a pod's server, as when its process exits.</summary>
    public async Task StopAsync(string name)
    {
        if (_pods.TryRemove(name, out var pod))
        {
            await pod.DisposeAsync();
        }
    }

    /// <summary>Kills a pod: its listener and connections close at once, requests in flight break.</summary>
    public async Task CrashAsync(string name)
    {
        if (_pods.TryRemove(name, out var pod))
        {
            await pod.CrashAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pod in _pods.Values)
        {
            await pod.DisposeAsync();
        }
    }
}
