using System.Globalization;
using k8s.Models;
using KubeApiTestServer;

namespace Propagation;

/// <summary>
/// The cluster under test: Services with one EndpointSlice each and Ingress rules routing <c>svc-N.bench</c> to them.
/// Probe Services have one ready endpoint, a real pod, and the rest not ready; background Services have endpoints
/// with fake addresses that nothing ever connects to. The slices are kept here as models and written whole, the way
/// the EndpointSlice controller writes them. Churn touches only background slices and probe changes only probe
/// slices, each from one thread, so the models need no lock.
/// </summary>
internal sealed class BenchCluster(KubeApiServer api, BenchOptions options)
{
    private const int NoGateway = 0;

    private readonly V1EndpointSlice[] _slices = new V1EndpointSlice[options.Services];
    private readonly int[] _probeIndexes = [.. Enumerable.Range(0, options.Probes).Select(p => p * (options.Services / options.Probes))];
    private readonly int[] _backgroundIndexes = BackgroundIndexes(options);
    private int _fakeAddresses;

    public int ProbeCount => _probeIndexes.Length;

    public int EndpointCount => _slices.Sum(s => s.Endpoints.Count);

    public static string PodAddress(BenchOptions options, int pod) => string.Create(CultureInfo.InvariantCulture, $"{options.PodSubnet}.{pod + 1}");

    public int ProbeService(int probe) => _probeIndexes[probe];

    /// <summary>The address of the one ready endpoint of a probe Service.</summary>
    public string ProbePod(int probe) => _slices[_probeIndexes[probe]].Endpoints[0].Addresses[0];

    /// <summary>
    /// Which probe Service each probe HTTPRoute sends to (<c>--measure routes</c>); starts as the probe's own Service.
    /// Written by the probe driver's one thread.
    /// </summary>
    private int[] _routeTargets = [];

    /// <summary>
    /// Creates the default IngressClass, the Services, their slices and the Ingresses; with a
    /// <paramref name="gatewayPort"/>, also the GatewayClass, a Gateway listening there and an HTTPRoute per probe.
    /// </summary>
    public void Seed(int gatewayPort = NoGateway)
    {
        api.Create(KubeObjects.DefaultClass());
        for (var i = 0; i < options.Services; i++)
        {
            api.Create(KubeObjects.Service(i));
        }

        for (var p = 0; p < _probeIndexes.Length; p++)
        {
            var pod = PodAddress(options, p % options.Pods);
            _slices[_probeIndexes[p]] = KubeObjects.Slice(
                _probeIndexes[p],
                Enumerable.Range(0, options.EndpointsPerSlice).Select(e => e == 0 ? KubeObjects.Endpoint(pod, ready: true) : KubeObjects.Endpoint(NextFakeAddress(), ready: false)));
        }

        foreach (var i in _backgroundIndexes)
        {
            _slices[i] = KubeObjects.Slice(i, Enumerable.Range(0, options.EndpointsPerSlice).Select(_ => KubeObjects.Endpoint(NextFakeAddress(), ready: true)));
        }

        foreach (var slice in _slices)
        {
            api.Create(slice);
        }

        foreach (var chunk in Enumerable.Range(0, options.Services).Chunk(options.RulesPerIngress))
        {
            var name = options.RulesPerIngress == 1 ? KubeObjects.ServiceName(chunk[0]) : string.Create(CultureInfo.InvariantCulture, $"ingress-{chunk[0] / options.RulesPerIngress}");
            api.Create(KubeObjects.Ingress(name, chunk));
        }

        if (gatewayPort != NoGateway)
        {
            api.Create(KubeObjects.GatewayClass());
            api.Create(KubeObjects.Gateway(gatewayPort));
            _routeTargets = [.. Enumerable.Range(0, _probeIndexes.Length)];
            for (var p = 0; p < _probeIndexes.Length; p++)
            {
                api.Create(KubeObjects.Route(p, _probeIndexes[p]));
            }
        }
    }

    /// <summary>The probe whose Service the probe HTTPRoute <paramref name="route"/> sends to now.</summary>
    public int RouteTarget(int route) => _routeTargets[route];

    /// <summary>Points HTTPRoute <paramref name="route"/> at probe <paramref name="target"/>'s Service. Returns when the API server has stored it.</summary>
    public void PointRouteAt(int route, int target)
    {
        _routeTargets[route] = target;
        api.Replace(KubeObjects.Route(route, _probeIndexes[target]));
    }

    /// <summary>
    /// One background change, as a rollout or a failing probe makes them: half flip an endpoint's readiness, half
    /// replace a pod (a new address in place of an old one).
    /// </summary>
    public void Churn(Random random)
    {
        var slice = _slices[_backgroundIndexes[random.Next(_backgroundIndexes.Length)]];
        var position = random.Next(slice.Endpoints.Count);
        var endpoint = slice.Endpoints[position];
        slice.Endpoints[position] = random.Next(2) == 0
            ? KubeObjects.Endpoint(endpoint.Addresses[0], ready: endpoint.Conditions.Ready != true)
            : KubeObjects.Endpoint(NextFakeAddress(), ready: true);
        api.Replace(slice);
    }

    /// <summary>Makes <paramref name="podAddress"/> the probe Service's one ready endpoint. Returns when the API server has stored it.</summary>
    public void PointProbeAt(int probe, string podAddress)
    {
        var slice = _slices[_probeIndexes[probe]];
        slice.Endpoints[0] = KubeObjects.Endpoint(podAddress, ready: true);
        api.Replace(slice);
    }

    private string NextFakeAddress()
    {
        // 250 hosts per /24 (never .0 or .255), spread over the /16 of --fake-prefix.
        var n = _fakeAddresses++;
        return string.Create(CultureInfo.InvariantCulture, $"{options.FakePrefix}.{n / 250 % 256}.{(n % 250) + 1}");
    }

    private static int[] BackgroundIndexes(BenchOptions options)
    {
        var probes = Enumerable.Range(0, options.Probes).Select(p => p * (options.Services / options.Probes)).ToHashSet();
        return [.. Enumerable.Range(0, options.Services).Where(i => !probes.Contains(i))];
    }
}
