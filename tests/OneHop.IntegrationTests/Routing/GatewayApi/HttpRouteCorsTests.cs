using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Routing.GatewayApi.EchoBackends;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// HTTPRouteCORS (conformance/tests/httproute-cors.go): preflights of allowed origins (exact, <c>*.bar.com</c> over any
/// number of labels, <c>*</c>) answered with the filter's headers, wildcard methods and headers answered with what the
/// preflight asks for, credentials only where allowed; simple requests reach the pod with the origin on the answer.
/// Each row is a case of the suite: <c>Name: a|b</c> expects one of the values (whitespace ignored, as the suite does).
/// </summary>
public sealed class HttpRouteCorsTests(HttpRouteCorsTests.Gateway gateway) : IClassFixture<HttpRouteCorsTests.Gateway>
{
    private const string AskGet = "access-control-request-method: GET";
    private const string AskHeaders = "access-control-request-headers: x-header-1, x-header-2";
    private const string Credentials = "access-control-allow-credentials";

    [Fact]
    public void The_routes_are_accepted_with_their_backends_resolved() =>
        gateway.RoutesAccepted("same-namespace", "cors-multiple-origins-methods-headers", "cors-wildcard-methods", "cors-wildcard-origin", "cors-wildcard-methods-headers");

    [Theory]
    [InlineData("https://www.foo.com")]
    [InlineData("https://www.bar.com")]
    [InlineData("https://xpto.www.bar.com")]
    public Task A_preflight_from_an_allowed_origin_gets_every_header_of_the_filter(string origin) =>
        PreflightAsync(
            "/cors-1",
            [$"Origin: {origin}", AskGet, AskHeaders],
            [
                $"access-control-allow-origin: {origin}", "access-control-allow-methods: GET, OPTIONS|OPTIONS, GET",
                "access-control-allow-headers: x-header-1, x-header-2|x-header-2, x-header-1",
                "access-control-expose-headers: x-header-3, x-header-4|x-header-4, x-header-3", "access-control-max-age: 3600", $"{Credentials}: true",
            ],
            []);

    [Fact]
    public Task A_preflight_from_another_origin_gets_no_allow_origin() =>
        PreflightAsync("/cors-1", ["Origin: https://foobar.com", AskGet], [], ["access-control-allow-origin"], 403);

    [Theory]
    [InlineData("https://www.foo.com", "access-control-allow-origin: https://www.foo.com")]
    [InlineData("https://www.bar.com", "access-control-allow-origin: https://www.bar.com")]
    [InlineData("https://foobar.com", null)]
    public Task A_simple_request_reaches_the_pod_with_the_origin_allowed_or_not(string origin, string? expected) =>
        SimpleAsync("/cors-1", "GET", [$"Origin: {origin}", AskGet, AskHeaders], expected is null ? [] : [expected], expected is null ? ["access-control-allow-origin"] : []);

    [Fact]
    public Task A_wildcard_of_methods_allows_the_method_asked_for_without_credentials() =>
        PreflightAsync("/cors-2", ["Origin: https://www.foo.com", "access-control-request-method: POST"], ["access-control-allow-methods: POST|*", "access-control-allow-origin: https://www.foo.com"], [Credentials]);

    [Theory]
    [InlineData("https://foobar.com")]
    [InlineData("https://foobar.com:12345")]
    public Task A_wildcard_origin_allows_any_origin_port_or_not(string origin) =>
        PreflightAsync("/cors-wildcard-origin", [$"Origin: {origin}", "access-control-request-method: PUT"], [$"access-control-allow-origin: {origin}|*", "access-control-allow-methods: PUT"], [Credentials]);

    [Theory]
    [InlineData("https://foobar.com:12345")]
    [InlineData("https://foobar.com")]
    public Task A_request_of_a_wildcard_origin_is_allowed(string origin) =>
        SimpleAsync("/cors-wildcard-origin", "PUT", [$"Origin: {origin}"], [$"access-control-allow-origin: {origin}|*"], [Credentials]);

    [Fact]
    public Task With_credentials_wildcards_answer_the_origin_method_and_headers_asked_for() =>
        PreflightAsync(
            "/cors-wildcard-methods-headers",
            ["Origin: https://other.foo.com", "access-control-request-method: PUT", AskHeaders],
            ["access-control-allow-origin: https://other.foo.com", "access-control-allow-methods: PUT", "access-control-allow-headers: x-header-1, x-header-2|x-header-2, x-header-1", $"{Credentials}: true"],
            []);

    [Fact]
    public Task Without_credentials_wildcards_may_say_star_and_no_credentials_header_is_sent() =>
        PreflightAsync(
            "/cors-wildcard-methods-headers-unauth",
            ["Origin: https://other.foo.com", "access-control-request-method: PUT", AskHeaders],
            ["access-control-allow-origin: https://other.foo.com|*", "access-control-allow-methods: PUT|*", "access-control-allow-headers: x-header-1, x-header-2|x-header-2, x-header-1|*"],
            [Credentials]);

    [Theory]
    [InlineData("/cors-wildcard-methods-headers", true)]
    [InlineData("/cors-wildcard-methods-headers-unauth", false)]
    public Task A_request_gets_the_credentials_header_only_where_allowed(string path, bool credentials) =>
        SimpleAsync(
            path,
            "GET",
            ["Origin: https://other.foo.com"],
            credentials ? ["access-control-allow-origin: https://other.foo.com", $"{Credentials}: true"] : ["access-control-allow-origin: https://other.foo.com|*"],
            credentials ? [] : [Credentials]);

    /// <summary>An OPTIONS preflight: answered 200 or 204 (or <paramref name="orStatus"/>), by OneHop or the pod, as the suite accepts.</summary>
    private async Task PreflightAsync(string path, string[] headers, string[] expected, string[] absent, int orStatus = 204)
    {
        var request = new ConformanceRequest(path, Method: "OPTIONS", Headers: headers);
        var response = await gateway.SendAsync(request, TestTimeouts.Token());
        Assert.True(response.Status is 200 or 204 || response.Status == orStatus, $"{request}: expected 200 or 204, got {response}");
        HeadersAreOneOf(response, request, expected, absent);
    }

    /// <summary>A request that is no preflight: the pod of infra-backend-v1 answers it, and OneHop adds the CORS headers.</summary>
    private async Task SimpleAsync(string path, string method, string[] headers, string[] expected, string[] absent)
    {
        var request = new ConformanceRequest(path, Method: method, Headers: headers);
        var response = await gateway.SendAsync(request, TestTimeouts.Token());
        ConformanceAssert.Reached(response, request, InfraV1);
        HeadersAreOneOf(response, request, expected, absent);
    }

    private static void HeadersAreOneOf(GatewayResponse response, ConformanceRequest request, string[] expected, string[] absent)
    {
        foreach (var (name, values) in expected.Select(ConformanceRequest.NameAndValue))
        {
            var actual = response.Header(name);
            Assert.True(
                actual is not null && values.Split('|').Any(v => NoSpaces(v) == NoSpaces(actual)),
                $"{request}: expected {name}: {values}, got {actual ?? "none"}");
        }

        ConformanceAssert.HeadersAre(response.Header, request.ToString(), [], absent);
    }

    private static string NoSpaces(string value) => string.Concat(value.Where(c => !char.IsWhiteSpace(c)));

    public sealed class Gateway(EchoBackends backends) : ConformanceGateway(backends, "httproute-cors.yaml");
}
