using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Http;

/// <summary>An https upstream whose certificate an internal CA signed: trusted through tlsCaFile, refused without it.</summary>
public sealed class UpstreamCaTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true, 200)]
    [InlineData(false, 502)]
    public async Task The_upstreams_certificate_is_verified_against_its_CA_bundle(bool withCa, int expected)
    {
        using var ca = new TestCertificates("Internal CA");
        var (certificate, key) = ca.Issue("localhost");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.UseHttps(X509Certificate2.CreateFromPem(certificate, key))));
        await using var exchange = builder.Build();
        exchange.Run(context => context.Response.WriteAsync("owa", Cancel));
        await exchange.StartAsync(Cancel);
        var port = new Uri(exchange.Urls.First()).Port;

        var directory = Directory.CreateTempSubdirectory("onehop-upstream-ca-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "internal-ca.pem"), ca.CaPem, Cancel);
            var config = $"""
                upstreams:
                  - name: exchange
                    scheme: https
                    {(withCa ? $"tlsCaFile: {Path.Combine(directory, "internal-ca.pem")}" : string.Empty)}
                    endpoints:
                      - address: localhost:{port}
                defaultUpstream: exchange
                """;
            await using var onehop = await OneHopInstance.StartAsync(new Dictionary<string, string>(), Cancel, config);

            // OneHop keeps the client's Host, and the TLS name it checks is that host: the certificate is for it.
            var (status, _, body) = await onehop.GetAsync("/owa", Cancel, host: "localhost");

            Assert.Equal(expected, status);
            if (withCa)
            {
                Assert.Equal("owa", body);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
