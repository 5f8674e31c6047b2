using OneHop.Core.State.GatewayApi;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// BackendTLSPolicyObservedGenerationBump (conformance/tests/backendtlspolicy-observed-generation-bump.go at 4564255ac),
/// its objects written anew, through the API test server: a policy on the Service of a route of Gateway same-namespace
/// has OneHop's ancestor entry with every condition at its generation; a new <c>validation.hostname</c> bumps the
/// generation, and the leader writes the conditions again at the new one, still Accepted.
/// </summary>
[Collection(nameof(TimingSensitive))]
public sealed class BackendTlsPolicyObservedGenerationBumpTests
{
    private const string Name = "observed-generation-bump";

    private const string Objects = $$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: backendtlspolicy-observed-generation-bump, namespace: {{Infra}}}
        spec:
          parentRefs: [{name: same-namespace}]
          rules: [{backendRefs: [{name: observed-generation-bump-test, port: 443}]}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: observed-generation-bump-test, namespace: {{Infra}}}
        spec:
          selector: {app: observed-generation-bump-test}
          ports: [{name: https, protocol: TCP, port: 443, targetPort: 8443}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: BackendTLSPolicy
        metadata: {name: observed-generation-bump, namespace: {{Infra}}}
        spec:
          targetRefs: [{group: "", kind: Service, name: observed-generation-bump-test, sectionName: https}]
          validation:
            caCertificateRefs: [{group: "", kind: ConfigMap, name: tls-checks-ca-certificate}]
            hostname: abc.example.com
        """;

    [Fact]
    public async Task The_policys_conditions_take_the_new_generation()
    {
        await using var cluster = await ConformanceCluster.StartAsync("backendtlspolicy-observed-generation-bump.yaml", Objects, TestTimeouts.Token());

        // The suite makes tls-checks-ca-certificate at run time, from its CA.
        cluster.Apply("ca.yaml", ClientCertificateGateway.CaConfigMap("tls-checks-ca-certificate", cluster.Ca.CaPem));
        await LatestConditionsAsync(cluster);
        var original = cluster.Api.Get<BackendTlsPolicy>(Name, Infra)!;
        var generation = original.Metadata.Generation;

        original.Spec.Validation!.Hostname = "foo.example.com";
        original.Metadata.ResourceVersion = null;
        var updated = cluster.Api.Replace(original).Metadata.Generation;

        Assert.NotEqual(generation, updated);
        await LatestConditionsAsync(cluster);
        Assert.Equal(updated, cluster.Api.Get<BackendTlsPolicy>(Name, Infra)!.Metadata.Generation);
    }

    /// <summary>
    /// The suite's BackendTLSPolicyMustHaveLatestConditions and BackendTLSPolicyMustHaveCondition (Accepted=True) for
    /// Gateway same-namespace.
    /// </summary>
    private static Task LatestConditionsAsync(ConformanceCluster cluster) =>
        OneHopInstance.EventuallyAsync(
            () => Task.FromResult(cluster.Api.Get<BackendTlsPolicy>(Name, Infra) is { Status.Ancestors: { Count: > 0 } ancestors } policy
                && ancestors.All(a => a.Conditions is { Count: > 0 } c && c.All(x => x.ObservedGeneration == policy.Metadata.Generation))
                && ancestors.SingleOrDefault(a => a.AncestorRef.Name == "same-namespace") is { } ancestor
                && ConformanceCluster.Is(ancestor.Conditions, "Accepted", "True")),
            TimeSpan.FromSeconds(10),
            $"BackendTLSPolicy {Name}: Accepted at its latest generation",
            TestTimeouts.Token());
}
