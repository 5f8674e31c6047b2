using k8s.Models;
using KubeApiTestServer;
using OneHop.Core.Control;
using OneHop.Core.State.GatewayApi;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.KubeObjects;

namespace OneHop.IntegrationTests.Control;

/// <summary>
/// The leader writes BackendTLSPolicies' <c>status.ancestors</c> through the API test server: one entry of OneHop's per
/// Gateway whose routes reach a target Service, with Accepted and ResolvedRefs and the spec's reasons (as the suite's
/// backendtlspolicy, invalid-ca-certificate-ref and conflict-resolution cases check them), other controllers' entries
/// kept, and nothing for a policy no route of OneHop's reaches.
/// </summary>
[Collection(nameof(TimingSensitive))]
public sealed class BackendTlsPolicyStatusTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_leader_writes_each_policys_ancestors_with_the_specs_reasons()
    {
        await using var api = await KubeApiServer.StartNewAsync(cancellationToken: Cancel);
        api.Create(Service("web"));
        api.Create(Service("payments"));
        api.Create(Service("idle"));
        api.Create(GatewayObjects.Class("onehop"));
        api.Create(GatewayObjects.Gateway("edge"));
        api.Create(GatewayObjects.Route("site", "shop.example.com", "web"));
        api.Create(GatewayObjects.Route("pay", "pay.example.com", "payments"));
        var good = api.Create(Policy("good", "web", validation: new BackendTlsPolicyValidation { WellKnownCACertificates = "System", Hostname = "web.example.com" }));
        api.Create(Policy("second", "web", validation: new BackendTlsPolicyValidation { WellKnownCACertificates = "System", Hostname = "web.example.com" }));
        api.Create(Policy("missing-ca", "payments", validation: new BackendTlsPolicyValidation { CaCertificateRefs = [new LocalObjectReference { Kind = "ConfigMap", Name = "nope" }], Hostname = "pay.example.com" }));
        api.Create(Policy("unused", "idle", validation: new BackendTlsPolicyValidation { WellKnownCACertificates = "System", Hostname = "idle.example.com" }));

        // Another controller's ancestor, written before OneHop starts (a create drops status, as the real server does).
        good.Status = new PolicyStatus
        {
            Ancestors = [new PolicyAncestorStatus { ControllerName = "example.com/other", AncestorRef = new ParentReference { Name = "theirs" }, Conditions = [new V1Condition { Type = "Accepted", Status = "True", Reason = "Accepted", LastTransitionTime = DateTime.UtcNow }] }],
        };
        api.ReplaceStatus(good);

        await using var onehop = await OneHopInstance.StartAsync(api.CreateClient(), Cancel, publishing: new StatusPublishingOptions(["203.0.113.30"], null, "default", "onehop-leader", "only")
        {
            LeaseDuration = TimeSpan.FromSeconds(3),
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromMilliseconds(300),
        });

        await OneHopInstance.EventuallyAsync(
            () => Task.FromResult(api.Get<BackendTlsPolicy>("good")?.Status?.Ancestors?.Count == 2 && api.Get<BackendTlsPolicy>("second")?.Status is not null && api.Get<BackendTlsPolicy>("missing-ca")?.Status is not null),
            TimeSpan.FromSeconds(10),
            "the policies' status to be written",
            Cancel);

        var goodAncestors = api.Get<BackendTlsPolicy>("good")!.Status!.Ancestors!;
        Assert.Contains(goodAncestors, a => a.ControllerName == "example.com/other" && a.AncestorRef.Name == "theirs");
        var ours = Assert.Single(goodAncestors, a => a.ControllerName == GatewayApiNames.ControllerName);
        Assert.Equal((GatewayApiNames.Group, "Gateway", "default", "edge"), (ours.AncestorRef.Group, ours.AncestorRef.Kind, ours.AncestorRef.Namespace, ours.AncestorRef.Name));
        Assert.Equal(("True", "Accepted", 1L), Condition(ours, "Accepted"));
        Assert.Equal(("True", "ResolvedRefs", 1L), Condition(ours, "ResolvedRefs"));

        // The same target, younger (then by name): Conflicted.
        var second = Assert.Single(api.Get<BackendTlsPolicy>("second")!.Status!.Ancestors!);
        Assert.Equal(("False", "Conflicted", 1L), Condition(second, "Accepted"));

        var missing = Assert.Single(api.Get<BackendTlsPolicy>("missing-ca")!.Status!.Ancestors!);
        Assert.Equal(("False", "NoValidCACertificate", 1L), Condition(missing, "Accepted"));
        Assert.Equal(("False", "InvalidCACertificateRef", 1L), Condition(missing, "ResolvedRefs"));

        // No route of OneHop's reaches its Service: OneHop is no ancestor of it, and writes nothing.
        Assert.Null(api.Get<BackendTlsPolicy>("unused")!.Status);
    }

    private static BackendTlsPolicy Policy(string name, string service, BackendTlsPolicyValidation validation) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new BackendTlsPolicySpec { TargetRefs = [new PolicyTargetReference { Group = string.Empty, Kind = "Service", Name = service }], Validation = validation },
    };

    private static (string Status, string Reason, long? Generation) Condition(PolicyAncestorStatus ancestor, string type)
    {
        var condition = Assert.Single(ancestor.Conditions!, c => c.Type == type);
        return (condition.Status, condition.Reason, condition.ObservedGeneration);
    }
}
