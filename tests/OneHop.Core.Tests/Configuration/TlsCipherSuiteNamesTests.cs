using System.Net.Security;
using OneHop.Core.Configuration;

namespace OneHop.Core.Tests.Configuration;

public sealed class TlsCipherSuiteNamesTests
{
    private static readonly TlsCipherSuite[] Tls13 =
        [TlsCipherSuite.TLS_AES_256_GCM_SHA384, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256, TlsCipherSuite.TLS_AES_128_GCM_SHA256];

    [Fact]
    public void OpenSsl_s_and_IANA_s_names_are_read_in_order_and_TLS_1_3_s_suites_stay_as_with_nginx()
    {
        var suites = TlsCipherSuiteNames.Parse("ECDHE-ECDSA-AES128-GCM-SHA256:TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: ECDHE-RSA-AES256-SHA", out var error);

        Assert.Null(error);
        Assert.Equal(
            [
                TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
                TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, .. Tls13,
            ],
            suites!.Value);
    }

    [Fact]
    public void Ingress_nginx_s_default_list_is_read_whole()
    {
        const string Default = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384";
        Assert.Equal(8 + 3, TlsCipherSuiteNames.Parse(Default, out _)!.Value.Length);
    }

    [Fact]
    public void A_list_naming_TLS_1_3_suites_keeps_only_those_and_repeats_count_once()
    {
        var suites = TlsCipherSuiteNames.Parse("TLS_AES_128_GCM_SHA256;ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256", out _);
        Assert.Equal([TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256], suites!.Value);
        Assert.Equal(
            [TlsCipherSuite.TLS_AES_128_CCM_SHA256, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM],
            TlsCipherSuiteNames.Parse("TLS_AES_128_CCM_SHA256:ECDHE-ECDSA-AES128-CCM", out _)!.Value);
    }

    [Theory]
    [InlineData("HIGH:!aNULL:!MD5", "'HIGH' is an OpenSSL alias or operator")]
    [InlineData("ECDHE-RSA-AES128-GCM-SHA256:!aNULL", "'!aNULL' is an OpenSSL alias or operator")]
    [InlineData("ECDHE-RSA-AES128-GCM-SHA256:@STRENGTH", "'@STRENGTH' is an OpenSSL alias or operator")]
    [InlineData("ECDHE-RSA-AES128-GCM-SHA999", "'ECDHE-RSA-AES128-GCM-SHA999' is not a cipher suite OneHop knows")]
    [InlineData("TLS_NOT_A_SUITE", "'TLS_NOT_A_SUITE' is not a cipher suite OneHop knows")]
    [InlineData("4865", "'4865' is not a cipher suite OneHop knows")]
    [InlineData("kEECDH:aRSA", "'kEECDH' is an OpenSSL alias or operator")]
    [InlineData("EECDH+AESGCM", "'EECDH+AESGCM' is an OpenSSL alias or operator")]
    [InlineData("TLS_RSA_WITH_3DES_EDE_CBC_SHA", "'TLS_RSA_WITH_3DES_EDE_CBC_SHA' is not a cipher suite OneHop knows")]
    [InlineData("ECDHE-RSA-NULL-SHA", "'ECDHE-RSA-NULL-SHA' is not a cipher suite OneHop knows")]
    [InlineData("TLS_AES_128_GCM_SHA256", "names no TLS 1.2 suite")]
    [InlineData(" : ", "names no cipher suite")]
    public void Anything_but_names_is_refused_with_the_reason(string value, string reason)
    {
        Assert.Null(TlsCipherSuiteNames.Parse(value, out var error));
        Assert.StartsWith(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Lists_are_equal_by_content()
    {
        Assert.NotNull(TlsCipherSuiteList.Parse("ECDHE-RSA-AES128-GCM-SHA256", out _));
        Assert.Equal(TlsCipherSuiteList.Parse("ECDHE-RSA-AES128-GCM-SHA256", out _), TlsCipherSuiteList.Parse("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", out _));
        Assert.NotEqual(TlsCipherSuiteList.Parse("ECDHE-RSA-AES128-GCM-SHA256", out _), TlsCipherSuiteList.Parse("ECDHE-RSA-AES256-GCM-SHA384", out _));
    }
}
