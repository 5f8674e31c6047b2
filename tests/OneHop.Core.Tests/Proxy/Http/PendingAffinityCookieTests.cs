using Microsoft.AspNetCore.Http;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Proxy.Http;

namespace OneHop.Core.Tests.Proxy.Http;

/// <summary>The affinity cookie's Set-Cookie: OneHop's session cookie by default, ingress-nginx's session-cookie-* attributes when given.</summary>
public sealed class PendingAffinityCookieTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(false, "route=v; path=/; samesite=lax; httponly")]
    [InlineData(true, "route=v; path=/; secure; samesite=lax; httponly")]
    public void Without_attributes_it_is_a_session_cookie_for_slash_secure_over_https_only(bool https, string expected) =>
        Assert.Equal(expected, SetCookie(null, https));

    [Fact]
    public void Ingress_nginx_attributes_are_all_written()
    {
        var header = SetCookie(new AffinityCookieAttributes("/app", 172800, 3600, "None", true, ".example.com"), https: false);
        Assert.Equal("route=v; expires=Sat, 05 Dec 2026 13:00:00 GMT; max-age=172800; domain=.example.com; path=/app; secure; samesite=none; httponly", header);
    }

    [Fact]
    public void Secure_false_is_never_secure_even_over_https() =>
        Assert.DoesNotContain("secure", SetCookie(new AffinityCookieAttributes(Secure: false, SameSite: "Strict"), https: true), StringComparison.Ordinal);

    private static string SetCookie(AffinityCookieAttributes? attributes, bool https)
    {
        var context = new DefaultHttpContext();
        context.Response.Cookies.Append("route", "v", PendingAffinityCookie.Options(attributes, https, Now));
        return context.Response.Headers.SetCookie.ToString();
    }
}
