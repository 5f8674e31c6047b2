using System.Collections.Immutable;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using OneHop.Core.Balancing;
using OneHop.Core.Concurrency;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Health;
using OneHop.Core.Proxy.Http;
using OneHop.Core.Routing;

namespace OneHop.Core.Tests.Balancing;

/// <summary>
/// One replica's view of one backend, as the data plane builds it: a <see cref="BackendState"/> per snapshot, pod
/// runtime state on a fake clock that survives snapshots, and the list of available destinations pickers get.
/// </summary>
internal sealed class BalancerHarness
{
    private readonly IRandomSource _random;
    private AffinityKey? _affinityKey;
    private ProxyRequest? _request;

    public BalancerHarness(IRandomSource? random = null, BackendPolicy? policy = null)
    {
        Runtimes = new EndpointRuntimeRegistry(Time);
        _random = random ?? new SeededRandom(42);
        Context = new BalancingContext(Time, _random);
        Policy = policy ?? BackendPolicy.Default;
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public EndpointRuntimeRegistry Runtimes { get; }

    public BalancingContext Context { get; }

    /// <summary>The backend as the data plane holds it for the last published snapshot.</summary>
    public BackendState Backend { get; private set; } = null!;

    /// <summary>The backend's policy; takes effect at the next <see cref="Publish(string[])"/>.</summary>
    public BackendPolicy Policy { get; set; }

    /// <summary>The destinations requests may use now.</summary>
    public DestinationSet Current => Backend.Available();

    /// <summary>Endpoint ids <c>10.0.0.1:8080</c> … for <paramref name="count"/> pods.</summary>
    public static string[] Ids(int count, int first = 1) => [.. Enumerable.Range(first, count).Select(i => $"10.0.{i / 250}.{(i % 250) + 1}:8080")];

    public DestinationSet Publish(params string[] ids) => Publish([.. ids.Select(id => (id, 1))]);

    /// <summary>A new snapshot of the backend; each pod's runtime state (in flight, latency, slow start) carries over.</summary>
    public DestinationSet Publish(params (string Id, int Weight)[] endpoints)
    {
        var backendEndpoints = ImmutableArray.CreateBuilder<BackendEndpoint>();
        foreach (var (id, weight) in endpoints)
        {
            var colon = id.LastIndexOf(':');
            backendEndpoints.Add(new BackendEndpoint(id[..colon], int.Parse(id[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture), EndpointState.Ready, Weight: weight));
        }

        Backend = new BackendState(new Backend("default/web:80", "web", BackendKind.Service, BackendProtocol.Http, Policy, backendEndpoints.ToImmutable()), Runtimes, zone: null, trafficShare: null);
        return Current;
    }

    public static EndpointRuntime Runtime(Destination destination) => destination.Runtime;

    /// <summary>The picker for <paramref name="algorithm"/>, as the data plane resolves it.</summary>
    public IEndpointPicker Create(string algorithm) => new Pickers(Context, _affinityKey).For(algorithm);

    /// <summary>Signs affinity cookies with <paramref name="key"/> from now on.</summary>
    public void UseAffinityKey(byte[] key) => _affinityKey = new AffinityKey(key);

    /// <summary>
    /// One pick. <paramref name="destinations"/> narrower than the current list plays a retry's list (what is left
    /// after the pods already tried), as the data plane narrows it.
    /// </summary>
    public Destination Pick(IEndpointPicker policy, HttpContext? request = null, IReadOnlyList<Destination>? destinations = null) =>
        policy.Pick(Backend, Candidates(destinations), RequestOf(request ?? new DefaultHttpContext()))
        ?? throw new InvalidOperationException("no destination picked");

    /// <summary>The request as pickers see it, one per HTTP context (as the data plane makes one per request), so picks allocate nothing here.</summary>
    private ProxyRequest RequestOf(HttpContext context)
    {
        if (_request?.Context != context)
        {
            _request = new ProxyRequest(context);
        }

        return _request;
    }

    /// <summary>
    /// Picks <paramref name="picks"/> times and counts each pod's share. With <paramref name="concurrency"/> &gt; 0
    /// every pick starts a request and the oldest finishes once that many are in flight (equal service times), so
    /// load-aware algorithms see load; all requests are finished at the end.
    /// </summary>
    public Dictionary<string, int> Run(IEndpointPicker policy, int picks, int concurrency = 0, Func<int, HttpContext>? request = null)
    {
        var counts = Current.Items.ToDictionary(d => d.Id, _ => 0, StringComparer.Ordinal);
        var inFlight = new Queue<EndpointRuntime>();
        var shared = new DefaultHttpContext();
        for (var i = 0; i < picks; i++)
        {
            var destination = Pick(policy, request?.Invoke(i) ?? shared);
            counts[destination.Id]++;
            if (concurrency > 0)
            {
                destination.Runtime.RequestStarted();
                inFlight.Enqueue(destination.Runtime);
                if (inFlight.Count > concurrency)
                {
                    inFlight.Dequeue().RequestEnded();
                }
            }
        }

        while (inFlight.Count > 0)
        {
            inFlight.Dequeue().RequestEnded();
        }

        return counts;
    }

    /// <summary>Puts <paramref name="count"/> requests in flight on the pod (never finished).</summary>
    public static void Load(Destination destination, int count)
    {
        for (var i = 0; i < count; i++)
        {
            destination.Runtime.RequestStarted();
        }
    }

    public static HttpContext WithHeader(string name, string value)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers[name] = value;
        return context;
    }

    private DestinationSet Candidates(IReadOnlyList<Destination>? destinations)
    {
        var current = Current;
        return destinations is null || destinations is DestinationSet ? destinations as DestinationSet ?? current : Narrowed(current, destinations);
    }

    // Apart, so the closure below is not allocated on the fast path (a captured parameter is boxed on method entry).
    private static DestinationSet Narrowed(DestinationSet current, IReadOnlyList<Destination> destinations) =>
        destinations.All(current.Contains) && destinations.Count < current.Count
            ? current.Narrow([.. current.Items.Where(d => !destinations.Contains(d))])
            : new DestinationSet([.. destinations]);
}
