namespace OneHop.Core.Demo;

/// <summary>
/// The demo's pods: three "web" and two "api" pods and one legacy server, each a real HTTP server on its own
/// loopback address (127.0.0.2, 127.0.0.3, ...) on one port, as pods have their own IPs. Where a platform only
/// answers on 127.0.0.1 (macOS), or the port is taken, a pod falls back to 127.0.0.1 and a free port.
/// </summary>
internal sealed class DemoCluster : IAsyncDisposable
{
    private static readonly DemoPodOptions[] Layout =
    [
        new("web-1", "web", "127.0.0.2", 0, "node-1", "zone-a"),
        new("web-2", "web", "127.0.0.3", 0, "node-2", "zone-b"),
        new("web-3", "web", "127.0.0.4", 0, "node-3", "zone-c"),
        new("api-1", "api", "127.0.0.5", 0, "node-1", "zone-a"),
        new("api-2", "api", "127.0.0.6", 0, "node-2", "zone-b"),
    ];

    private static readonly DemoPodOptions LegacyLayout = new("legacy-1", "legacy", "127.0.0.7", 0, "iis-01", "dc-1");

    private DemoCluster(IReadOnlyList<DemoPod> pods, DemoPod legacy)
    {
        Pods = pods;
        Legacy = legacy;
    }

    public IReadOnlyList<DemoPod> Pods { get; }

    public DemoPod Legacy { get; }

    public static async Task<DemoCluster> StartAsync(int preferredPort, CancellationToken cancellationToken)
    {
        var pods = new List<DemoPod>();
        try
        {
            foreach (var layout in Layout)
            {
                pods.Add(await StartPodAsync(layout with { Port = preferredPort }, cancellationToken));
            }

            var legacy = await StartPodAsync(LegacyLayout with { Port = preferredPort }, cancellationToken);
            return new DemoCluster(pods, legacy);
        }
        catch
        {
            foreach (var pod in pods)
            {
                await pod.DisposeAsync();
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pod in Pods.Append(Legacy))
        {
            await pod.DisposeAsync();
        }
    }

    private static async Task<DemoPod> StartPodAsync(DemoPodOptions options, CancellationToken cancellationToken)
    {
        foreach (var attempt in new[] { options, options with { Port = 0 }, options with { Address = "127.0.0.1", Port = 0 } })
        {
            try
            {
                return await DemoPod.StartAsync(attempt, cancellationToken);
            }
            catch (IOException)
            {
                // Address not available here, or port taken: try the next fallback.
            }
        }

        throw new IOException($"cannot start demo pod {options.Name} on any loopback address");
    }
}
