using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;
using OneHop.Core.Concurrency;
using OneHop.Core.Health;
using OneHop.Core.Proxy.Http;
using OneHop.Core.Routing;
using OneHop.Core.Routing.Ingresses.Nginx;
using OneHop.Core.Telemetry.AccessLog;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Http;

/// <summary>
/// auth-cache-key against a real authentication service: which requests reuse an answer instead of asking, for how
/// long (the data plane's clock), and which answers are never kept.
/// </summary>
public sealed class ExternalAuthCacheTests : AuthServiceTestBase
{
    private readonly FakeTimeProvider _time;
    private readonly Meter _meter;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<string> _measured = new();

    public ExternalAuthCacheTests()
        : this(new FakeTimeProvider(), new Meter("OneHop"))
    {
    }

    private ExternalAuthCacheTests(FakeTimeProvider time, Meter meter)
        : base(time, new ProxyMetrics(meter, time))
    {
        (_time, _meter) = (time, meter);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter) && instrument.Name.StartsWith("onehop.http.auth_check", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => _measured.Enqueue($"{instrument.Name} {Tags(tags)}"));
        _listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => _measured.Enqueue($"{instrument.Name} {Tags(tags)}"));
        _listener.Start();
    }

    [Fact]
    public async Task Requests_with_the_same_key_reuse_the_answer_and_its_headers_until_it_expires()
    {
        var check = Check("/counted");

        Assert.Equal("call-1", await PassedUser(check, "Bearer a"));
        Assert.Equal("call-1", await PassedUser(check, "Bearer a")); // kept: not asked again
        Assert.Equal("call-2", await PassedUser(check, "Bearer b")); // another key asks
        Assert.Equal(2, Service.Calls.Count);

        _time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.Equal("call-1", await PassedUser(check, "Bearer a"));
        _time.Advance(TimeSpan.FromSeconds(2)); // the default 200 202 401 5m is over
        Assert.Equal("call-3", await PassedUser(check, "Bearer a"));
        Assert.Equal(3, Service.Calls.Count);
    }

    [Fact]
    public async Task Checks_are_counted_by_answer_and_source_and_only_subrequests_are_timed()
    {
        var allowed = Check("/counted");
        await PassedUser(allowed, "Bearer a");
        await PassedUser(allowed, "Bearer a");
        var context = ExternalAuthorizerTests.Request("/");
        Assert.False(await Authorizer.AuthorizeAsync(context, Check("/counted?status=403"), SharedRandomSource.Instance));

        Assert.Equal(
            [
                "onehop.http.auth_check.duration answer=allowed",
                "onehop.http.auth_checks answer=allowed source=service",
                "onehop.http.auth_checks answer=allowed source=cache",
                "onehop.http.auth_check.duration answer=forbidden",
                "onehop.http.auth_checks answer=forbidden source=service",
            ],
            _measured);
    }

    /// <summary>The access log says where a request's answer came from, and how long the subrequest took.</summary>
    [Fact]
    public async Task The_access_record_says_whether_the_service_or_the_cache_answered()
    {
        var check = Check("/counted");
        async Task<HttpAccessRecord> CheckedAsync()
        {
            var context = ExternalAuthorizerTests.Request("/page");
            context.Request.Headers.Authorization = "Bearer a";
            var record = new HttpAccessRecord();
            context.Features.Set(record);
            Assert.True(await Authorizer.AuthorizeAsync(context, check, SharedRandomSource.Instance));
            return record;
        }

        var asked = await CheckedAsync();
        var kept = await CheckedAsync();
        Assert.Equal("service", asked.Auth);
        Assert.InRange(asked.AuthTime, 0, 10);
        Assert.Equal(("cache", 0.0), (kept.Auth, kept.AuthTime));
        Assert.Single(Service.Calls);
    }

    [Fact]
    public async Task Another_route_or_another_auth_url_does_not_find_the_answer()
    {
        Assert.Equal("call-1", await PassedUser(Check("/counted"), "Bearer a"));
        Assert.Equal("call-2", await PassedUser(Check("/counted", routeId: "other"), "Bearer a"));
        Assert.Equal("call-3", await PassedUser(Check("/counted?v=2"), "Bearer a"));
        Assert.Equal("call-1", await PassedUser(Check("/counted"), "Bearer a"));
    }

    [Fact]
    public async Task A_401_is_kept_with_its_challenge_and_a_403_is_not_under_the_default_rule()
    {
        var refused = Check("/counted?status=401");
        for (var i = 0; i < 2; i++)
        {
            var context = ExternalAuthorizerTests.Request("/");
            Assert.False(await Authorizer.AuthorizeAsync(context, refused, SharedRandomSource.Instance));
            Assert.Equal((401, "Basic realm=\"counted\""), (context.Response.StatusCode, context.Response.Headers.WWWAuthenticate.ToString()));
        }

        var forbidden = Check("/counted?status=403");
        for (var i = 0; i < 2; i++)
        {
            var context = ExternalAuthorizerTests.Request("/");
            Assert.False(await Authorizer.AuthorizeAsync(context, forbidden, SharedRandomSource.Instance));
            Assert.Equal(403, context.Response.StatusCode);
        }

        Assert.Equal(3, Service.Calls.Count); // the 401 once, the 403 twice
    }

    [Theory]
    [InlineData("/ok", "")] // it sets a session cookie
    [InlineData("/counted?cc=no-store", "")]
    [InlineData("/counted?cc=private", "")]
    [InlineData("/counted", "200 1s")] // kept one second only
    public async Task An_answer_nginx_would_not_keep_asks_again(string path, string durations)
    {
        var valid = durations.Length == 0 ? null : NginxAuthCache.Parse(durations, out _);
        var check = Check(path, valid: valid);

        await PassedUser(check, "Bearer a");
        _time.Advance(TimeSpan.FromSeconds(2));
        await PassedUser(check, "Bearer a");

        Assert.Equal(2, Service.Calls.Count);
    }

    [Fact]
    public async Task Max_age_of_the_answer_sets_its_lifetime()
    {
        var check = Check("/counted?cc=max-age=30");

        Assert.Equal("call-1", await PassedUser(check, "Bearer a"));
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal("call-1", await PassedUser(check, "Bearer a"));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("call-2", await PassedUser(check, "Bearer a"));
    }

    public override async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        _meter.Dispose();
        await base.DisposeAsync();
    }

    private static string Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var text = new List<string>();
        foreach (var (key, value) in tags)
        {
            text.Add($"{key}={value}");
        }

        return string.Join(' ', text);
    }

    /// <summary>Asks with the Authorization header given; the X-Auth-Request-User the pod would get.</summary>
    private async Task<string> PassedUser(ExternalAuthCheck check, string authorization)
    {
        var context = ExternalAuthorizerTests.Request("/page");
        context.Request.Headers.Authorization = authorization;
        Assert.True(await Authorizer.AuthorizeAsync(context, check, SharedRandomSource.Instance), $"refused: {context.Response.StatusCode}");
        return context.Request.Headers["X-Auth-Request-User"].ToString();
    }

    private ExternalAuthCheck Check(string path, string routeId = "route", ImmutableArray<AuthCacheValidity>? valid = null) =>
        new(
            new RouteExternalAuth($"http://{Service.Address}:{Service.Port}{path}", null, null, "rd", ["X-Auth-Request-User"], null)
            {
                Cache = new RouteAuthCache("$http_authorization", valid ?? NginxAuthCache.DefaultDuration),
            },
            null,
            routeId);
}
