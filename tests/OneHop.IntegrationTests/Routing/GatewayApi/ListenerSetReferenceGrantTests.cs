namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// ListenerSetReferenceGrant (conformance/tests/listenerset-reference-grant.go): a ListenerSet's HTTPS listener may use a
/// certificate Secret of another namespace only with a ReferenceGrant there from ListenerSets of its namespace; without
/// one its only listener is <c>RefNotPermitted</c> and the ListenerSet is not accepted.
/// </summary>
public sealed class ListenerSetReferenceGrantTests(ListenerSetReferenceGrantTests.Gateway gateway) : IClassFixture<ListenerSetReferenceGrantTests.Gateway>
{
    [Fact]
    public void A_listener_set_granted_the_secret_is_accepted()
    {
        gateway.GatewayHas("gateway-with-listener-sets-test-reference-grant", "Accepted=True");
        gateway.ListenerSetHas("listenerset-with-reference-grant", "Accepted=True", "Programmed=True");
        gateway.ListenerSetListenerHas("listenerset-with-reference-grant", "listenerset-with-reference-grant-listener", null, "ResolvedRefs=True");
    }

    [Fact]
    public void A_listener_set_without_a_grant_is_not_accepted()
    {
        const string set = "gateway-api-listener-sets-test-reference-grant-ns/listenerset-without-reference-grant";
        gateway.ListenerSetHas(set, "Accepted=False:ListenersNotValid", "Programmed=False:ListenersNotValid");
        gateway.ListenerSetListenerHas(set, "listenerset-without-reference-grant-listener", null, "ResolvedRefs=False:RefNotPermitted");
    }

    public sealed class Gateway(EchoBackends backends) : SuiteSecretsGateway(backends, "listenerset-reference-grant.yaml");
}
