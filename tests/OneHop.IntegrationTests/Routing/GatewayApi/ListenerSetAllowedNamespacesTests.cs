namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// ListenerSetDefaultNotAllowed, ListenerSetAllowedNamespaceNone, ListenerSetAllowedNamespaceSame and
/// ListenerSetAllowedNamespaceSelector (conformance/tests/listenerset-default-not-allowed.go,
/// listenerset-allowed-namespace-{none,same,selector}.go): a Gateway takes ListenerSets only from the namespaces its
/// <c>spec.allowedListeners</c> lets in, none when unset; a refused ListenerSet says <c>NotAllowed</c>.
/// </summary>
public sealed class ListenerSetAllowedNamespacesTests(ListenerSetAllowedNamespacesTests.Gateway gateway) : IClassFixture<ListenerSetAllowedNamespacesTests.Gateway>
{
    [Fact]
    public void Without_allowed_listeners_a_gateway_takes_no_listener_set()
    {
        gateway.GatewayHas("gateway-default-does-not-allow-listenerset", "Accepted=True");
        Assert.Equal(0, gateway.AttachedListenerSets("gateway-default-does-not-allow-listenerset"));
        gateway.ListenerSetHas("listenerset-default-not-allowed", "Accepted=False:NotAllowed", "Programmed=False:NotAllowed");
    }

    [Fact]
    public void With_from_none_a_gateway_takes_no_listener_set()
    {
        gateway.GatewayHas("gateway-does-not-allow-listenerset", "Accepted=True");
        Assert.Equal(0, gateway.AttachedListenerSets("gateway-does-not-allow-listenerset"));
        gateway.ListenerSetHas("listenerset-not-allowed", "Accepted=False:NotAllowed", "Programmed=False:NotAllowed");
    }

    [Fact]
    public void With_from_same_a_gateway_takes_the_listener_set_of_its_namespace_alone()
    {
        gateway.GatewayHas("gateway-allows-listenerset-in-same-namespace", "Accepted=True");
        Assert.Equal(1, gateway.AttachedListenerSets("gateway-allows-listenerset-in-same-namespace"));
        gateway.ListenerSetHas("listenerset-in-same-namespace", "Accepted=True:Accepted", "Programmed=True:Programmed");
        gateway.ListenerSetListenerAccepted("listenerset-in-same-namespace", "listenerset-in-same-namespace-listener");
        gateway.ListenerSetHas("gateway-api-listenerset-not-allowed-ns/listenerset-in-different-namespace", "Accepted=False:NotAllowed", "Programmed=False:NotAllowed");
    }

    [Fact]
    public void With_from_selector_a_gateway_takes_the_listener_set_of_a_selected_namespace_alone()
    {
        gateway.GatewayHas("gateway-allows-listenerset-in-selected-namespace", "Accepted=True");
        Assert.Equal(1, gateway.AttachedListenerSets("gateway-allows-listenerset-in-selected-namespace"));
        gateway.ListenerSetHas("gateway-api-listenerset-selector-allowed-ns/listenerset-in-selected-namespace", "Accepted=True:Accepted", "Programmed=True:Programmed");
        gateway.ListenerSetListenerAccepted("gateway-api-listenerset-selector-allowed-ns/listenerset-in-selected-namespace", "listenerset-in-selected-namespace-listener");
        gateway.ListenerSetHas("gateway-api-listenerset-selector-not-allowed-ns/listenerset-not-in-selected-namespace", "Accepted=False:NotAllowed", "Programmed=False:NotAllowed");
    }

    /// <summary>The four cases' manifests together: their Gateways and hostnames are apart, as the suite runs them in parallel.</summary>
    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "listenerset-default-not-allowed.yaml")
    {
        protected override Task<IReadOnlyDictionary<string, string>> MoreFilesAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, string>>(new[] { "listenerset-allowed-namespace-none.yaml", "listenerset-allowed-namespace-same.yaml", "listenerset-allowed-namespace-selector.yaml" }
                .ToDictionary(f => f, Data));
    }
}
