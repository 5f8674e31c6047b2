using OneHop.Core.Routing.GatewayApi;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>The suite's checks (http.CompareRoundTrip, the kubernetes status helpers) on OneHop's answers and status.</summary>
internal static class ConformanceAssert
{
    /// <summary>
    /// Sends <paramref name="request"/> (to <paramref name="address"/> when given): <paramref name="expected"/> is a status
    /// code, or the backend (Service) whose pod must answer 200 having seen the request as it was sent.
    /// </summary>
    public static async Task ExpectAsync(this ConformanceGateway gateway, ConformanceRequest request, string expected, int port = 80, string? address = null)
    {
        var response = await gateway.SendAsync(request, TestTimeouts.Token(), port, address);
        if (int.TryParse(expected, out var status))
        {
            Assert.True(status == response.Status, $"{request}: expected {status}, got {response}");
            return;
        }

        Reached(response, request, expected);
    }

    /// <summary>
    /// The response is the 200 of a pod of <paramref name="backend"/> that got the request's method, and its path and
    /// Host unless the case expects others (a rewrite); returns what the pod saw.
    /// </summary>
    public static EchoedRequest Reached(GatewayResponse response, ConformanceRequest request, string backend, string? path = null, string? host = null)
    {
        Assert.True(response is { Status: 200, Echo: not null }, $"{request}: expected 200 from {backend}, got {response}");
        var echo = response.Echo;
        Assert.True(echo.Pod.StartsWith(backend + "-", StringComparison.Ordinal), $"{request}: expected a pod of {backend}, got {echo.Pod}");
        Assert.Equal(EchoBackends.NamespaceOf(backend), echo.Namespace);
        Assert.Equal(request.Method, echo.Method);
        Assert.Equal(path ?? request.Path, echo.Path);
        if ((host ?? request.Host) is { } expectedHost)
        {
            Assert.Equal(expectedHost, echo.Host);
        }

        return echo;
    }

    /// <summary>
    /// The headers <paramref name="actual"/> gives (a pod's request or OneHop's response, values joined by commas) have
    /// the <paramref name="expected"/> values, written <c>Name: value</c>, and none of the <paramref name="absent"/> names.
    /// </summary>
    public static void HeadersAre(Func<string, string?> actual, string what, string[] expected, string[] absent)
    {
        foreach (var (name, value) in expected.Select(ConformanceRequest.NameAndValue))
        {
            Assert.True(actual(name) == value, $"{what}: expected {name}: {value}, got {actual(name) ?? "none"}");
        }

        foreach (var name in absent)
        {
            Assert.True(actual(name) is null, $"{what}: expected no {name}, got {actual(name)}");
        }
    }

    /// <summary>
    /// A request of <paramref name="path"/> (a GET unless told) is answered <paramref name="status"/> with a Location of the scheme (http unless
    /// given), host (when given), port (the scheme's own, left out or not, unless given) and path (the request's unless
    /// given), as the suite compares redirects.
    /// </summary>
    public static async Task ExpectRedirectAsync(this ConformanceGateway gateway, string path, int status, string? scheme = null, string? host = null, int? port = null, string? location = null, string method = "GET")
    {
        var request = new ConformanceRequest(path, Method: method);
        var response = await gateway.SendAsync(request, TestTimeouts.Token());
        Assert.True(response.Status == status && response.Location is { IsAbsoluteUri: true }, $"{request}: expected a {status} redirect, got {response}");
        var target = response.Location;
        Assert.Equal(scheme ?? "http", target.Scheme);
        if (host is not null)
        {
            Assert.Equal(host, target.Host);
        }

        Assert.True(port is null ? target.IsDefaultPort : !target.IsDefaultPort && target.Port == port, $"{request}: redirected to port {target.Port} of {target}");
        Assert.Equal(location ?? path.Split('?')[0], target.AbsolutePath);
    }

    /// <summary>The Gateway is accepted and programmed, and each route is accepted by it with its references resolved.</summary>
    public static void RoutesAccepted(this ConformanceGateway gateway, string gatewayName, params string[] routes)
    {
        var report = GatewayReport(gateway, gatewayName);
        Assert.All(report.Conditions, c => Assert.True(c.Status, $"Gateway {gatewayName}: {c}"));
        foreach (var route in routes)
        {
            gateway.RouteHas(route, gatewayName, "Accepted", true);
            gateway.RouteHas(route, gatewayName, "ResolvedRefs", true);
        }
    }

    /// <summary>
    /// Every parent status of route <paramref name="route"/> (namespace/name, or a name in the infra namespace) for
    /// Gateway <paramref name="gatewayName"/> has the condition, with the reason when one is given.
    /// </summary>
    public static void RouteHas(this ConformanceGateway gateway, string route, string gatewayName, string type, bool status, string? reason = null)
    {
        var (ns, name) = route.Contains('/', StringComparison.Ordinal) ? (route.Split('/')[0], route.Split('/')[1]) : (EchoBackends.Infra, route);
        var report = gateway.Status().Routes.SingleOrDefault(r => r.Ref.Namespace == ns && r.Ref.Name == name);
        Assert.True(report is not null, $"HTTPRoute {ns}/{name} has no status from OneHop");
        var parents = report.Parents.Where(p => p.GatewayNamespace == EchoBackends.Infra && p.GatewayName == gatewayName && p.ListenerSet is null).ToList();
        Assert.NotEmpty(parents);
        foreach (var parent in parents)
        {
            var condition = parent.Conditions.FirstOrDefault(c => c.Type == type);
            Assert.True(
                condition is not null && condition.Status == status && (reason is null || condition.Reason == reason),
                $"HTTPRoute {ns}/{name} on Gateway {gatewayName}: expected {type}={status}{(reason is null ? string.Empty : $" ({reason})")}, got {string.Join("; ", parent.Conditions)}");
        }
    }

    /// <summary>The route kinds a listener of HTTP or HTTPS supports, as the suite expects them (GRPCRoute may be there too).</summary>
    public static readonly string[] HttpRoutes = ["HTTPRoute"];

    /// <summary>
    /// A listener's status: the route kinds it supports, its attachedRoutes, and the conditions the case expects, each
    /// written <c>Type=True</c> or <c>Type=False</c>, with <c>:Reason</c> when the reason counts.
    /// </summary>
    public static void ListenerHas(this ConformanceGateway gateway, string gatewayName, string listener, int attachedRoutes, string[] kinds, params string[] conditions)
    {
        var status = Assert.Single(GatewayReport(gateway, gatewayName).Listeners, l => l.Name == listener);

        // As the suite's listenersMatch: the expected kinds are among the supported ones; none expected, none there.
        Assert.True(kinds.Length == 0 ? status.SupportedKinds.IsEmpty : kinds.All(status.SupportedKinds.Contains), $"listener {listener}: expected kinds {string.Join(", ", kinds)}, got {string.Join(", ", status.SupportedKinds)}");
        foreach (var condition in conditions)
        {
            Assert.True(status.Conditions.Any(c => Is(c, condition)), $"listener {listener}: expected {condition}, got {string.Join("; ", status.Conditions)}");
        }

        Assert.Equal(attachedRoutes, status.AttachedRoutes);
    }

    /// <summary>The Gateway's own conditions, written as for <see cref="ListenerHas"/>.</summary>
    public static void GatewayHas(this ConformanceGateway gateway, string gatewayName, params string[] conditions)
    {
        var report = GatewayReport(gateway, gatewayName);
        foreach (var condition in conditions)
        {
            Assert.True(report.Conditions.Any(c => Is(c, condition)), $"Gateway {gatewayName}: expected {condition}, got {string.Join("; ", report.Conditions)}");
        }
    }

    /// <summary>The policy's condition for its one ancestor, the Gateway same-namespace (the suite's BackendTLSPolicyMustHaveCondition).</summary>
    public static void PolicyHas(this GatewayApiStatus status, string policy, string type, bool value, string reason)
    {
        var report = Assert.Single(status.Policies, p => p.Ref.Namespace == EchoBackends.Infra && p.Ref.Name == policy);
        Assert.Equal("same-namespace", Assert.Single(report.Ancestors).Name);
        Assert.True(
            report.Conditions.Any(c => c.Type == type && c.Status == value && c.Reason == reason),
            $"BackendTLSPolicy {policy}: expected {type}={value} ({reason}), got {string.Join("; ", report.Conditions)}");
    }

    internal static GatewayStatusReport GatewayReport(ConformanceGateway gateway, string gatewayName) =>
        Assert.Single(gateway.Status().Gateways, g => g.Ref.Namespace == EchoBackends.Infra && g.Ref.Name == gatewayName);

    /// <summary>True when <paramref name="condition"/> is <c>Type=Status</c> or <c>Type=Status:Reason</c>.</summary>
    internal static bool Is(GatewayCondition condition, string expected)
    {
        var (type, rest) = (expected.Split('=')[0], expected.Split('=')[1]);
        var (status, reason) = (rest.Split(':')[0], rest.Split(':').ElementAtOrDefault(1));
        return condition.Type == type && condition.Status == bool.Parse(status) && (reason is null || condition.Reason == reason);
    }
}
