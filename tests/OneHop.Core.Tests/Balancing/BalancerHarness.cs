using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OneHop.Core.Balancing;
using OneHop.Core.Concurrency;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Health;
using OneHop.Core.Proxy.Http;
using OneHop.Core.Routing;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace OneHop.Core.Tests.Balancing;

/// <summary>
/// One replica's view of one backend, as the data plane builds it: a snapshot catalog (policy, weights), pod runtime
/// state on a fake clock, and a cluster whose destination list is replaced on every change, the way YARP does it.
/// </summary>
internal sealed class BalancerHarness
{
    private static readonly HttpMessageInvoker Invoker = new(new SocketsHttpHandler());

    private readonly Dictionary<string, (DestinationState State, DestinationConfig Config, int Weight)> _destinations = new(StringComparer.Ordinal);

    public BalancerHarness(IRandomSource? random = null, BackendPolicy? policy = null)
    {
        Runtimes = new EndpointRuntimeRegistry(Time);
        Context = new BalancingContext(Catalog, Runtimes, random ?? new SeededRandom(42));
        Policy = policy ?? BackendPolicy.Default;
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public EndpointRuntimeRegistry Runtimes { get; }

    public SnapshotCatalog Catalog { get; } = new();

    public BalancingContext Context { get; }

    /// <summary>The cluster as YARP holds it: the backend's config and the current available list.</summary>
    public ClusterState Cluster { get; private set; } = new("c");

    /// <summary>The backend's policy; takes effect at the next <see cref="Publish(string[])"/>.</summary>
    public BackendPolicy Policy { get; set; }

    public IReadOnlyList<DestinationState> Current => Cluster.DestinationsState.AvailableDestinations;

    /// <summary>Endpoint ids <c>10.0.0.1:8080</c> … for <paramref name="count"/> pods.</summary>
    public static string[] Ids(int count, int first = 1) => [.. Enumerable.Range(first, count).Select(i => $"10.0.{i / 250}.{(i % 250) + 1}:8080")];

    public IReadOnlyList<DestinationState> Publish(params string[] ids) => Publish([.. ids.Select(id => (id, 1))]);

    /// <summary>
    /// A new snapshot: a new list instance (what YARP hands pickers until the next change), keeping each pod's
    /// <see cref="DestinationState"/> while its weight is unchanged, as YARP keeps it by id.
    /// </summary>
    public IReadOnlyList<DestinationState> Publish(params (string Id, int Weight)[] endpoints)
    {
        var list = new DestinationState[endpoints.Length];
        var backendEndpoints = new List<BackendEndpoint>();
        var configs = new Dictionary<string, DestinationConfig>(StringComparer.Ordinal);
        for (var i = 0; i < endpoints.Length; i++)
        {
            var (id, weight) = endpoints[i];
            if (!_destinations.TryGetValue(id, out var known) || known.Weight != weight)
            {
                var config = new DestinationConfig { Address = $"http://{id}" };
                known = (new DestinationState(id, new DestinationModel(config)), config, weight);
                _destinations[id] = known;
            }

            list[i] = known.State;
            configs[id] = known.Config;
            var colon = id.LastIndexOf(':');
            backendEndpoints.Add(new BackendEndpoint(id[..colon], int.Parse(id[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture), EndpointState.Ready, Weight: weight));
        }

        var cluster = new ClusterConfig { ClusterId = "c", Destinations = configs };
        Catalog.Register(cluster, new Backend("default/web:80", "web", BackendKind.Service, BackendProtocol.Http, Policy, [.. backendEndpoints]));
        Cluster = new ClusterState("c", new ClusterModel(cluster, Invoker)) { DestinationsState = new ClusterDestinationsState(list, list) };
        return list;
    }

    public EndpointRuntime Runtime(DestinationState destination) => Runtimes.For(destination);

    /// <summary>The policy registered for <paramref name="algorithm"/>, resolved the way the data plane resolves it.</summary>
    public ILoadBalancingPolicy Create(string algorithm)
    {
        var services = new ServiceCollection();
        services.AddSingleton(Context);
        services.AddOneHopBalancing();
        var name = YarpPolicyNames.For(algorithm);
        return services.BuildServiceProvider().GetServices<ILoadBalancingPolicy>().Single(p => p.Name == name);
    }

    public DestinationState Pick(ILoadBalancingPolicy policy, HttpContext? request = null, IReadOnlyList<DestinationState>? destinations = null) =>
        policy.PickDestination(request ?? new DefaultHttpContext(), Cluster, destinations ?? Current)
        ?? throw new InvalidOperationException("no destination picked");

    /// <summary>
    /// Picks <paramref name="picks"/> times and counts each pod's share. With <paramref name="concurrency"/> &gt; 0
    /// every pick starts a request and the oldest finishes once that many are in flight (equal service times), so
    /// load-aware algorithms see load; all requests are finished at the end.
    /// </summary>
    public Dictionary<string, int> Run(ILoadBalancingPolicy policy, int picks, int concurrency = 0, Func<int, HttpContext>? request = null)
    {
        var counts = Current.ToDictionary(d => d.DestinationId, _ => 0, StringComparer.Ordinal);
        var inFlight = new Queue<EndpointRuntime>();
        var shared = new DefaultHttpContext();
        for (var i = 0; i < picks; i++)
        {
            var destination = Pick(policy, request?.Invoke(i) ?? shared);
            counts[destination.DestinationId]++;
            if (concurrency > 0)
            {
                var runtime = Runtime(destination);
                runtime.RequestStarted();
                inFlight.Enqueue(runtime);
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
    public void Load(DestinationState destination, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Runtime(destination).RequestStarted();
        }
    }

    public static HttpContext WithHeader(string name, string value)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers[name] = value;
        return context;
    }
}
