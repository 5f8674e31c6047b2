using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.GatewayApi;

/// <summary>An HTTPRoute rule's timeouts: request bounds the whole request, backendRequest each attempt, and never more than request.</summary>
public sealed class HttpRouteTimeoutsTests
{
    [Fact]
    public void Backend_request_becomes_the_routes_attempt_timeout_and_0s_turns_it_off()
    {
        var result = Translate(("2s", "500ms"), (null, "0s"));

        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        var routes = result.Snapshot.Routes.Where(r => r.Port == 80).OrderBy(r => r.Path, StringComparer.Ordinal).ToList();
        Assert.Equal([("/r0", TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(500)), ("/r1", null, null)], routes.Select(r => (r.Path, r.Timeout, r.BackendTimeout)));
    }

    [Fact]
    public void A_backend_request_longer_than_the_request_refuses_the_rule()
    {
        var result = Translate(("1s", "2s"), ("1s", "nope"));

        Assert.Empty(result.Snapshot.Routes.Where(r => r.Port == 80));
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.InvalidRoute && d.Field == "spec.rules[0]"
            && d.Message == "spec.rules[0].timeouts.backendRequest: 2s is longer than timeouts.request (1s), which the spec forbids; this rule is not served");
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.InvalidRoute && d.Field == "spec.rules[1]" && d.Message.StartsWith("spec.rules[1].timeouts.backendRequest: 'nope' is not a Gateway API duration", StringComparison.Ordinal));
    }

    private static TranslationResult Translate(params (string? Request, string? BackendRequest)[] rules)
    {
        var yaml = Manifests.WebHttpRoute(rules.Select(r =>
            $"    timeouts: {{{string.Join(", ", new[] { r.Request is null ? null : $"request: {r.Request}", r.BackendRequest is null ? null : $"backendRequest: {r.BackendRequest}" }.Where(t => t is not null))}}}\n"));
        return Translator.Translate(TranslatorInput.Of(Manifests.State(yaml)));
    }
}
