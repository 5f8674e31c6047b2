using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using OneHop.Core.State;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Tls;

/// <summary>
/// OCSP stapling against a real responder (<c>openssl ocsp</c> on loopback, signing for the test CA): with
/// ingress-nginx's <c>enable-ocsp</c> (or <c>tls.ocspStapling</c>) OneHop fetches the certificate's answer from the
/// responder its AIA names and staples it, as <c>openssl s_client -status</c> sees; off, it staples none; an edit of the
/// ConfigMap applies live; a chain that reaches no root is served without a staple.
/// </summary>
public sealed class OcspStaplingTests
{
    private const string Host = "ocsp.example.org";

    private static readonly ObjectKey MapKey = new("ingress-nginx", "ingress-nginx-controller");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Enable_ocsp_staples_the_responder_s_answer_and_false_staples_none() =>
        await WithResponderAsync(async (ca, ocspUrl, serial, _) =>
        {
            // The Secret's chain ends at the CA, so the issuer is at hand for the OCSP request.
            await using var pods = await TestPods.StartAsync("app", 1, Cancel);
            await using var onehop = await StartAsync(ca, ocspUrl, serial, withRoot: true, pods);

            // The answer is fetched in the background once the certificate loads: the first handshakes may go without it.
            string? stapled = null;
            await OneHopInstance.EventuallyAsync(async () => (stapled = await StatusAsync(onehop)).Contains("OCSP Response Status: successful", StringComparison.Ordinal), TimeSpan.FromSeconds(15), "an OCSP answer stapled", Cancel);
            Assert.Contains("Cert Status: good", stapled, StringComparison.Ordinal);
            Assert.Contains($"Serial Number: {Convert.ToHexString(serial)}", stapled, StringComparison.Ordinal);

            await onehop.WriteManifestAsync("controller.yaml", Yaml.NginxControllerMap(MapKey, "enable-ocsp: \"false\""), Cancel);
            await OneHopInstance.EventuallyAsync(async () => (await StatusAsync(onehop)).Contains("OCSP response: no response sent", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "stapling off", Cancel);
        });

    /// <summary>A chain that reaches no root (the CA neither in the Secret nor trusted): served without a staple, the responder never asked.</summary>
    [Fact]
    public async Task A_chain_that_reaches_no_root_gets_no_staple() =>
        await WithResponderAsync(async (ca, ocspUrl, serial, hits) =>
        {
            await using var pods = await TestPods.StartAsync("app", 1, Cancel);
            await using var onehop = await StartAsync(ca, ocspUrl, serial, withRoot: false, pods);
            for (var i = 0; i < 3; i++)
            {
                Assert.Contains("OCSP response: no response sent", await StatusAsync(onehop), StringComparison.Ordinal);
                await Task.Delay(500, Cancel);
            }

            Assert.Equal(0, Volatile.Read(ref hits[0]));
        });

    /// <summary>
    /// A responder for the test CA on the test's own loopback address, then <paramref name="test"/> with the CA, the
    /// responder's URL, a serial the responder knows as good, and its count of requests.
    /// </summary>
    private static async Task WithResponderAsync(Func<TestCertificates, string, byte[], int[], Task> test)
    {
        using var ca = new TestCertificates();
        var directory = Directory.CreateTempSubdirectory("onehop-ocsp-");
        try
        {
            var serial = RandomNumberGenerator.GetBytes(16);
            serial[0] &= 0x7F; // a positive serial, written as openssl writes it
            var index = Path.Combine(directory.FullName, "index.txt");
            await File.WriteAllTextAsync(index, $"V\t{DateTime.UtcNow.AddDays(7).ToString("yyMMddHHmmss", CultureInfo.InvariantCulture)}Z\t\t{Convert.ToHexString(serial)}\tunknown\t/CN={Host}\n", Cancel);
            var caPem = Path.Combine(directory.FullName, "ca.pem");
            var caKey = Path.Combine(directory.FullName, "ca.key");
            await File.WriteAllTextAsync(caPem, ca.CaPem, Cancel);
            await File.WriteAllTextAsync(caKey, ca.CaKeyPem, Cancel);

            // openssl signs each answer (ocsp -reqin/-respout) for a small HTTP front on the test's own loopback address:
            // its own responder mode binds every address, which a test must not.
            var address = LoopbackAddresses.Next();
            var hits = new int[1];
            await using var responder = KestrelApps.Create(address, 0);
            responder.Run(context =>
            {
                Interlocked.Increment(ref hits[0]);
                return AnswerAsync(context, directory.FullName, index, caPem, caKey);
            });
            var port = await KestrelApps.StartAsync(responder, Cancel);
            await test(ca, $"http://{address}:{port}", serial, hits);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>OneHop with enable-ocsp on, serving a certificate whose AIA names <paramref name="ocspUrl"/>, its CA in the Secret or not.</summary>
    private static Task<OneHopInstance> StartAsync(TestCertificates ca, string ocspUrl, byte[] serial, bool withRoot, TestPods pods)
    {
        var (certificate, key) = ca.IssueWithOcsp(Host, ocspUrl, serial);
        var manifests = new Dictionary<string, string>
        {
            ["class.yaml"] = Yaml.DefaultClass,
            ["app.yaml"] = TestCertificates.Secret("app-tls", (withRoot ? certificate + "\n" + ca.CaPem : certificate, key)) + Yaml.TlsIngress("app", Host, "app-tls", "app") + Yaml.Service("app", pods),
            ["controller.yaml"] = Yaml.NginxControllerMap(MapKey, "enable-ocsp: \"true\""),
        };
        return OneHopInstance.StartAsync(manifests, Cancel, https: true, configure: o => o with { NginxConfigMap = MapKey });
    }

    /// <summary>
    /// An OCSP GET (RFC 6960 appendix A: the request's DER, base64, URL-encoded, after the URL's path) answered by
    /// <c>openssl ocsp</c> from the CA's index, signed with its key.
    /// </summary>
    private static async Task AnswerAsync(HttpContext context, string directory, string index, string caPem, string caKey)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var id = Guid.NewGuid().ToString("N");
        var (request, response) = (Path.Combine(directory, id + ".req"), Path.Combine(directory, id + ".resp"));
        await File.WriteAllBytesAsync(request, Convert.FromBase64String(Uri.UnescapeDataString(raw.TrimStart('/'))), context.RequestAborted);
        var (code, _, error) = await ExternalTool.RunAsync("openssl", ["ocsp", "-index", index, "-rsigner", caPem, "-rkey", caKey, "-CA", caPem, "-ndays", "1", "-reqin", request, "-respout", response], input: null, context.RequestAborted);
        Assert.True(code == 0, error);
        context.Response.ContentType = "application/ocsp-response";
        await context.Response.Body.WriteAsync(await File.ReadAllBytesAsync(response, context.RequestAborted), context.RequestAborted);
    }

    /// <summary>What <c>openssl s_client -status</c> prints of a handshake with OneHop for <see cref="Host"/>.</summary>
    private static async Task<string> StatusAsync(OneHopInstance onehop)
    {
        var (_, output, _) = await ExternalTool.RunAsync("openssl", ["s_client", "-connect", $"127.0.0.1:{onehop.Port("https")}", "-servername", Host, "-status"], input: null, Cancel);
        return output;
    }
}
