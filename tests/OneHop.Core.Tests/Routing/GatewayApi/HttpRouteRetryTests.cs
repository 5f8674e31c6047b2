using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.GatewayApi;

/// <summary>An HTTPRoute rule's <c>retry</c>: codes, attempts and backoff on the rule's routes; bad values refuse the rule alone.</summary>
public sealed class HttpRouteRetryTests
{
    [Fact]
    public void Codes_attempts_and_backoff_reach_the_rules_routes()
    {
        var result = Translate("{codes: [503, 500, 500], attempts: 3, backoff: 100ms}", "{attempts: 1}", null);

        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        var routes = result.Snapshot.Routes.Where(r => r.Port == 80).OrderBy(r => r.Path, StringComparer.Ordinal).ToList();
        Assert.Equal(new RouteRetry(3, [500, 503], TimeSpan.FromMilliseconds(100)), routes[0].Retry);
        Assert.Equal(new RouteRetry(1, [], RouteRetry.DefaultBackoff), routes[1].Retry);
        Assert.Null(routes[2].Retry);
    }

    [Fact]
    public void An_empty_retry_keeps_the_implementations_attempts_and_backoff()
    {
        var route = Assert.Single(Translate("{}").Snapshot.Routes, r => r.Port == 80);

        Assert.Equal(new RouteRetry(null, [], RouteRetry.DefaultBackoff), route.Retry);
    }

    [Theory]
    [InlineData("{codes: [404]}", "spec.rules[0].retry.codes[0]: 404 is not retried: OneHop retries pod answers 500-599 only")]
    [InlineData("{codes: [500, 600]}", "spec.rules[0].retry.codes[1]: 600 is not retried: OneHop retries pod answers 500-599 only")]
    [InlineData("{attempts: 0}", "spec.rules[0].retry.attempts: 0 must be at least 1")]
    [InlineData("{backoff: soon}", "spec.rules[0].retry.backoff: 'soon' is not a Gateway API duration (e.g. 100ms, 1s)")]
    public void A_bad_retry_refuses_its_rule_and_not_the_others(string retry, string message)
    {
        var result = Translate(retry, "{attempts: 2}");

        Assert.Equal(["/r1"], result.Snapshot.Routes.Where(r => r.Port == 80).Select(r => r.Path));
        Assert.Contains(result.Diagnostics, d => d.Code == DiagnosticCodes.InvalidRoute && d.Field == "spec.rules[0]" && d.Message == message + "; this rule is not served");
    }

    private static TranslationResult Translate(params string?[] retries)
    {
        var yaml = Manifests.WebHttpRoute(retries.Select(r => r is null ? string.Empty : $"    retry: {r}\n"));
        return Translator.Translate(TranslatorInput.Of(Manifests.State(yaml)));
    }
}
