using System.Net;
using OneHop.Core.Proxy.Http;
using OneHop.Core.Routing;

namespace OneHop.Core.Tests.Proxy.Http;

/// <summary>Which answers of the authentication service auth-cache-key keeps, and for how long: nginx's proxy cache rules.</summary>
public sealed class AuthAnswerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static readonly RouteAuthCache Cache = new("$http_authorization", [new([200, 202, 401], TimeSpan.FromMinutes(5)), new([], TimeSpan.FromSeconds(10))]);

    [Theory]
    [InlineData(200, null, 300)]
    [InlineData(401, null, 300)]
    [InlineData(403, null, 10)] // the second rule, any status
    [InlineData(200, "max-age=60", 60)]
    [InlineData(200, "max-age=60, s-maxage=30", 30)]
    [InlineData(403, "max-age=60", 60)]
    [InlineData(200, "no-store", null)]
    [InlineData(200, "no-cache", null)]
    [InlineData(200, "private", null)]
    [InlineData(200, "max-age=0", null)]
    public void The_first_rule_covering_the_status_or_cache_control_sets_the_lifetime(int status, string? cacheControl, int? seconds)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status);
        if (cacheControl is not null)
        {
            response.Headers.TryAddWithoutValidation("Cache-Control", cacheControl);
        }

        Assert.Equal(seconds is { } s ? TimeSpan.FromSeconds(s) : null, AuthAnswer.Lifetime(response, Cache, Now));
    }

    [Theory]
    [InlineData("X-Accel-Expires", "20", 20)] // before Cache-Control
    [InlineData("X-Accel-Expires", "0", null)]
    [InlineData("X-Accel-Expires", "@1796644830", 30)] // 12:00:30 as a Unix time
    [InlineData("Expires", "Mon, 07 Dec 2026 12:00:10 GMT", 60)] // after Cache-Control's max-age
    public void X_accel_expires_comes_before_cache_control_and_expires_after_it(string header, string value, int? seconds)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
        response.Headers.TryAddWithoutValidation("Cache-Control", "max-age=60");
        if (!response.Headers.TryAddWithoutValidation(header, value))
        {
            response.Content.Headers.TryAddWithoutValidation(header, value);
        }

        Assert.Equal(seconds is { } s ? TimeSpan.FromSeconds(s) : null, AuthAnswer.Lifetime(response, Cache, Now));
    }

    [Theory]
    [InlineData("Mon, 07 Dec 2026 12:01:00 GMT", 60)]
    [InlineData("Mon, 07 Dec 2026 11:00:00 GMT", null)] // already past
    public void Expires_sets_the_lifetime_without_cache_control(string expires, int? seconds)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
        response.Content.Headers.TryAddWithoutValidation("Expires", expires);

        Assert.Equal(seconds is { } s ? TimeSpan.FromSeconds(s) : null, AuthAnswer.Lifetime(response, Cache, Now));
    }

    [Fact]
    public void A_status_no_rule_covers_is_not_kept_even_with_max_age()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Forbidden);
        response.Headers.TryAddWithoutValidation("Cache-Control", "max-age=60");

        Assert.Null(AuthAnswer.Lifetime(response, Cache with { Valid = [new([200], TimeSpan.FromMinutes(5))] }, Now));
    }

    [Theory]
    [InlineData("Set-Cookie", "session=1")]
    [InlineData("Vary", "*")]
    public void An_answer_that_sets_a_cookie_or_varies_on_everything_is_not_kept(string header, string value)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);
        response.Headers.TryAddWithoutValidation(header, value);

        Assert.Null(AuthAnswer.Lifetime(response, Cache, Now));
    }

    [Fact]
    public void The_answer_keeps_the_listed_headers_the_challenge_and_the_cookies()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Unauthorized);
        response.Headers.TryAddWithoutValidation("WWW-Authenticate", "Bearer realm=\"x\"");
        response.Headers.TryAddWithoutValidation("X-User", "alice");
        response.Headers.TryAddWithoutValidation("Set-Cookie", "a=1");

        var answer = AuthAnswer.Of(response, ["X-User", "X-Email"]);

        Assert.Equal((401, "Bearer realm=\"x\""), (answer.Status, answer.Challenge));
        Assert.Equal(["a=1"], answer.Cookies!);
        Assert.Equal([("X-User", "alice"), ("X-Email", (string?)null)], answer.Passed);
    }
}
