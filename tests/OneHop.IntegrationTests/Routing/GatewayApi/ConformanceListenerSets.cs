using OneHop.Core.Routing.GatewayApi;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// The suite's ListenerSet checks (ListenerSetMustHaveCondition, ListenerSetListenersMustHaveConditions,
/// ListenerSetStatusMustHaveListeners, GatewayMustHaveAttachedListeners, HTTPRouteMustHaveCondition with a ListenerSet
/// parent) on OneHop's status. A ListenerSet or route is <c>namespace/name</c>, or a name in the infra namespace;
/// conditions are written as for <see cref="ConformanceAssert.ListenerHas"/>.
/// </summary>
internal static class ConformanceListenerSets
{
    /// <summary>The ListenerSet's own conditions.</summary>
    public static void ListenerSetHas(this ConformanceGateway gateway, string set, params string[] conditions)
    {
        var report = Report(gateway, set);
        foreach (var condition in conditions)
        {
            Assert.True(report.Conditions.Any(c => ConformanceAssert.Is(c, condition)), $"ListenerSet {set}: expected {condition}, got {string.Join("; ", report.Conditions)}");
        }
    }

    /// <summary>A listener of the ListenerSet: its conditions, and its attachedRoutes when given (supporting HTTPRoute then).</summary>
    public static void ListenerSetListenerHas(this ConformanceGateway gateway, string set, string listener, int? attachedRoutes, params string[] conditions)
    {
        var status = Assert.Single(Report(gateway, set).Listeners, l => l.Name == listener);
        foreach (var condition in conditions)
        {
            Assert.True(status.Conditions.Any(c => ConformanceAssert.Is(c, condition)), $"ListenerSet {set} listener {listener}: expected {condition}, got {string.Join("; ", status.Conditions)}");
        }

        if (attachedRoutes is { } count)
        {
            Assert.Contains("HTTPRoute", status.SupportedKinds);
            Assert.Equal(count, status.AttachedRoutes);
        }
    }

    /// <summary>The listener is accepted, programmed, with its references resolved (the suite's generateAcceptedListenerConditions).</summary>
    public static void ListenerSetListenerAccepted(this ConformanceGateway gateway, string set, string listener, int? attachedRoutes = null) =>
        gateway.ListenerSetListenerHas(set, listener, attachedRoutes, "ResolvedRefs=True", "Accepted=True", "Programmed=True");

    /// <summary>The Gateway's <c>attachedListenerSets</c> (none written counts as 0, as the suite reads it).</summary>
    public static int AttachedListenerSets(this ConformanceGateway gateway, string gatewayName) =>
        ConformanceAssert.GatewayReport(gateway, gatewayName).AttachedListenerSets ?? 0;

    /// <summary>Every parent status of the route for the ListenerSet has the condition, with the reason when one is given.</summary>
    public static void RouteOnListenerSetHas(this ConformanceGateway gateway, string route, string set, string type, bool status, string? reason = null)
    {
        var (ns, name) = Split(route);
        var (setNs, setName) = Split(set);
        var report = gateway.Status().Routes.SingleOrDefault(r => r.Ref.Namespace == ns && r.Ref.Name == name);
        Assert.True(report is not null, $"HTTPRoute {ns}/{name} has no status from OneHop");
        var parents = report.Parents.Where(p => p.ListenerSet is { } s && s.Namespace == setNs && s.Name == setName).ToList();
        Assert.NotEmpty(parents);
        foreach (var parent in parents)
        {
            Assert.True(
                parent.Conditions.Any(c => c.Type == type && c.Status == status && (reason is null || c.Reason == reason)),
                $"HTTPRoute {ns}/{name} on ListenerSet {set}: expected {type}={status}{(reason is null ? string.Empty : $" ({reason})")}, got {string.Join("; ", parent.Conditions)}");
        }
    }

    /// <summary>Each route is accepted by the ListenerSet with its references resolved (the suite's RoutesAndParentMustBeAccepted).</summary>
    public static void RoutesAcceptedByListenerSet(this ConformanceGateway gateway, string set, params string[] routes)
    {
        gateway.ListenerSetHas(set, "Accepted=True", "Programmed=True");
        foreach (var route in routes)
        {
            gateway.RouteOnListenerSetHas(route, set, "Accepted", true);
            gateway.RouteOnListenerSetHas(route, set, "ResolvedRefs", true);
        }
    }

    private static GatewayStatusReport Report(ConformanceGateway gateway, string set)
    {
        var (ns, name) = Split(set);
        return Assert.Single(gateway.Status().ListenerSets, s => s.Ref.Namespace == ns && s.Ref.Name == name);
    }

    private static (string Namespace, string Name) Split(string name) =>
        name.Contains('/', StringComparison.Ordinal) ? (name.Split('/')[0], name.Split('/')[1]) : (EchoBackends.Infra, name);
}
