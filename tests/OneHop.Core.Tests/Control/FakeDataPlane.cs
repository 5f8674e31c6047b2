using OneHop.Core.Configuration;
using OneHop.Core.Proxy;
using OneHop.Core.Routing;

namespace OneHop.Core.Tests.Control;

/// <summary>Records what it is given and applies it at once (or never, to play a data plane that lags).</summary>
internal sealed class FakeDataPlane : IDataPlane
{
    private long _applied;

    public event Action<long>? Applied;

    public List<(RoutingSnapshot Snapshot, long Version)> Received { get; } = [];

    public bool ApplyImmediately { get; set; } = true;

    /// <summary>The config handed over with the last snapshot.</summary>
    public OneHopConfig? LastConfig { get; private set; }

    public long AppliedVersion => Interlocked.Read(ref _applied);

    public string? LastError { get; set; }

    public string? Waiting { get; set; }

    /// <summary>Serves <paramref name="version"/> now (after <see cref="ApplyImmediately"/> false held it back).</summary>
    public void Serve(long version)
    {
        Interlocked.Exchange(ref _applied, version);
        Applied?.Invoke(version);
    }

    public void Apply(PublishedSnapshot published)
    {
        var (version, snapshot, config) = (published.Version, published.Snapshot, published.Config);
        lock (Received)
        {
            // The coordinator hands every translation over; a data plane acts on new versions only.
            if (Received.Count > 0 && Received[^1].Version == version)
            {
                return;
            }

            Received.Add((snapshot, version));
            LastConfig = config;
        }

        if (ApplyImmediately)
        {
            Interlocked.Exchange(ref _applied, version);
            Applied?.Invoke(version);
        }
    }
}
