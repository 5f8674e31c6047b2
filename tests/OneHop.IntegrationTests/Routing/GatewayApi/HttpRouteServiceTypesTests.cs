using k8s.Models;
using OneHop.Core.Demo;
using OneHop.Core.State.GatewayApi;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteServiceTypes (conformance/tests/httproute-service-types.go), through the API test server: one route to a
/// Service whose EndpointSlices are written by hand, a headless Service with a selector, and a headless one with
/// hand-written slices. The API refuses loopback pod addresses, as Kubernetes does, so the pods are real ones in a
/// network namespace of the test's own, listening on the suite's target port (3000).
/// </summary>
[Collection(nameof(TimingSensitive))]
public sealed class HttpRouteServiceTypesTests
{
    private const string Route = "service-types";
    private const int TargetPort = 3000;
    private static readonly string[] Pods = [$"{InfraV1}-0", $"{InfraV1}-1"];
    private static readonly string[] Paths = ["/manual-endpointslices", "/headless-manual-endpointslices", "/headless"];

    [Fact]
    public async Task Each_service_type_is_answered_by_the_pods_its_endpointslices_list()
    {
        var cancellationToken = TestTimeouts.Token();
        await using var pods = await PodNamespace.CreateAsync(Pods, cancellationToken, TargetPort);
        await using var cluster = await ConformanceCluster.StartAsync("httproute-service-types.yaml", cancellationToken);

        // The suite's GatewayAndHTTPRoutesMustBeAccepted and HTTPRouteMustHaveResolvedRefsConditionsTrue: a Service
        // without a selector, or headless, is a backend like any other.
        await OneHopInstance.EventuallyAsync(
            () => Task.FromResult(cluster.Api.Get<HttpRoute>(Route, Infra) is { Status.Parents: [var parent] }
                && ConformanceCluster.Is(parent.Conditions, "Accepted", "True") && ConformanceCluster.Is(parent.Conditions, "ResolvedRefs", "True")),
            TimeSpan.FromSeconds(10),
            $"HTTPRoute {Route} Accepted with ResolvedRefs",
            cancellationToken);

        // Before the slices list anyone the routes are served, by no pod.
        await cluster.ExpectStatusAsync(new ConformanceRequest("/manual-endpointslices"), 503);

        // The suite's setupEndpointSlices: the pods' addresses into the hand-written IPv4 slices (the pods have no IPv6
        // address, so the IPv6 slices stay empty, as the suite leaves them).
        foreach (var name in new[] { "manual-endpointslices-ip4", "headless-manual-endpointslices-ip4" })
        {
            var slice = cluster.Api.Get<V1EndpointSlice>(name, Infra) ?? throw new InvalidOperationException($"no EndpointSlice {name}");
            slice.Endpoints = Endpoints(pods);
            slice.Metadata.ResourceVersion = null;
            cluster.Api.Replace(slice);
        }

        // The headless Service with a selector gets its slice from Kubernetes' EndpointSlice controller, which the API
        // test server does not run: the test writes it as the controller would.
        cluster.Api.Create(new V1EndpointSlice
        {
            ApiVersion = "discovery.k8s.io/v1",
            Kind = "EndpointSlice",
            Metadata = new V1ObjectMeta
            {
                Name = "headless-x7k2p",
                NamespaceProperty = Infra,
                Labels = new Dictionary<string, string>
                {
                    ["kubernetes.io/service-name"] = "headless",
                    ["endpointslice.kubernetes.io/managed-by"] = "endpointslice-controller.k8s.io",
                },
            },
            AddressType = "IPv4",
            Ports = [new Discoveryv1EndpointPort { Name = "first-port", Port = TargetPort, Protocol = "TCP" }],
            Endpoints = Endpoints(pods),
        });

        foreach (var path in Paths)
        {
            await OneHopInstance.EventuallyAsync(
                async () => await cluster.TrySendAsync(new ConformanceRequest(path)) is { Status: 200 } answer && Pods.Contains(answer.Header(DemoPod.PodHeader)),
                TimeSpan.FromSeconds(10),
                $"GET {path} answered 200 by a pod of {InfraV1}",
                cancellationToken);
        }
    }

    private static List<V1Endpoint> Endpoints(PodNamespace pods) =>
        [.. Pods.Select(pod => new V1Endpoint
        {
            Addresses = [pods.Addresses[pod]],
            Conditions = new V1EndpointConditions { Ready = true, Serving = true, Terminating = false },
            NodeName = "node-1",
            TargetRef = new V1ObjectReference { Kind = "Pod", Name = pod, NamespaceProperty = Infra },
        })];
}
