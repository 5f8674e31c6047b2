namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// ListenerSetProtocolConflict and ListenerSetHostnameConflict (conformance/tests/listenerset-protocol-conflict.go,
/// listenerset-hostname-conflict.go): listener precedence across a Gateway and its ListenerSets. The Gateway's listeners
/// come first, then each ListenerSet's; a listener that conflicts with one before it is refused, and a ListenerSet left
/// without a valid listener is not accepted (<c>ListenersNotValid</c>).
/// </summary>
public sealed class ListenerSetConflictsTests(ListenerSetConflictsTests.Gateway gateway) : IClassFixture<ListenerSetConflictsTests.Gateway>
{
    [Theory]
    [InlineData("protocol")]
    [InlineData("hostname")]
    public void The_gateway_keeps_its_listeners_and_counts_the_listener_sets_with_a_valid_one(string conflict)
    {
        var name = $"gateway-with-listenerset-{conflict}-conflict";
        gateway.GatewayHas(name, "Accepted=True");
        Assert.Equal(2, gateway.AttachedListenerSets(name));
        gateway.ListenerHas(name, "gateway-listener", 0, ConformanceAssert.HttpRoutes, "ResolvedRefs=True", "Accepted=True", "Programmed=True");
        gateway.ListenerHas(name, $"{conflict}-conflict-with-gateway-listener", 0, ConformanceAssert.HttpRoutes, "ResolvedRefs=True", "Accepted=True", "Programmed=True");
    }

    [Theory]
    [InlineData("protocol", "ProtocolConflict")]
    [InlineData("hostname", "HostnameConflict")]
    public void A_listener_set_with_one_valid_listener_is_accepted_and_its_conflicting_listener_refused(string conflict, string reason)
    {
        var withGateway = $"listenerset-with-{conflict}-conflict-with-gateway-1";
        gateway.ListenerSetHas(withGateway, "Accepted=True", "Programmed=True:Programmed");
        gateway.ListenerSetListenerAccepted(withGateway, "listener-set-1-listener");
        gateway.ListenerSetListenerHas(withGateway, $"{conflict}-conflict-with-gateway-listener", null, Refused(reason));
        gateway.ListenerSetListenerAccepted(withGateway, $"{conflict}-conflict-with-listener-set-listener");

        var withSet = $"listenerset-with-{conflict}-conflict-with-listener-set-1";
        gateway.ListenerSetHas(withSet, "Accepted=True", "Programmed=True:Programmed");
        gateway.ListenerSetListenerAccepted(withSet, "listener-set-2-listener");
        gateway.ListenerSetListenerHas(withSet, $"{conflict}-conflict-with-listener-set-listener", null, Refused(reason));
    }

    [Theory]
    [InlineData("protocol", "ProtocolConflict")]
    [InlineData("hostname", "HostnameConflict")]
    public void A_listener_set_whose_only_listener_conflicts_is_not_accepted(string conflict, string reason)
    {
        var withGateway = $"listenerset-with-{conflict}-conflict-with-gateway-2";
        gateway.ListenerSetHas(withGateway, "Accepted=False:ListenersNotValid", "Programmed=False:ListenersNotValid");
        gateway.ListenerSetListenerHas(withGateway, $"{conflict}-conflict-with-gateway-listener", null, Refused(reason));

        var withSet = $"listenerset-with-{conflict}-conflict-with-listener-set-2";
        gateway.ListenerSetHas(withSet, "Accepted=False:ListenersNotValid", "Programmed=False:ListenersNotValid");
        gateway.ListenerSetListenerHas(withSet, $"{conflict}-conflict-with-listener-set-listener", null, Refused(reason));
    }

    private static string[] Refused(string reason) => [$"Accepted=False:{reason}", $"Programmed=False:{reason}", $"Conflicted=True:{reason}"];

    /// <summary>Both cases' manifests: their Gateways and ListenerSets have names of their own.</summary>
    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "listenerset-protocol-conflict.yaml")
    {
        protected override Task<IReadOnlyDictionary<string, string>> MoreFilesAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string> { ["listenerset-hostname-conflict.yaml"] = Data("listenerset-hostname-conflict.yaml") });
    }
}
