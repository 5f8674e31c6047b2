using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using OneHop.Core.Routing;
using OneHop.Core.Tls;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Tls;

/// <summary>
/// nginx's <c>proxy_ssl_verify_depth</c> is OpenSSL's verify depth: chains with 0, 1 and 2 intermediates made by the
/// openssl command, each checked at depths 0 to 3 by <c>openssl verify -verify_depth</c> and by OneHop's validator, which
/// must agree with it.
/// </summary>
public sealed class BackendCertificateVerifyDepthOpenSslTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"onehop-depth-{Guid.NewGuid():N}");

    public BackendCertificateVerifyDepthOpenSslTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public async Task Onehop_counts_the_depth_as_openssl_verify_does()
    {
        var ct = TestContext.Current.CancellationToken;
        await OpenSslAsync(ct, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "root.key", "-out", "root.crt", "-subj", "/CN=Depth Root", "-days", "2", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign");
        await SignAsync("int1", "root", ca: true, ct);
        await SignAsync("int2", "int1", ca: true, ct);
        await SignAsync("leaf0", "root", ca: false, ct);
        await SignAsync("leaf1", "int1", ca: false, ct);
        await SignAsync("leaf2", "int2", ca: false, ct);
        string[][] untrusted = [[], ["int1"], ["int2", "int1"]];

        var verdicts = new List<string>();
        for (var intermediates = 0; intermediates <= 2; intermediates++)
        {
            var bundle = Path.Combine(_directory, $"untrusted{intermediates}.pem");
            await File.WriteAllTextAsync(bundle, string.Concat(untrusted[intermediates].Select(n => File.ReadAllText(Path.Combine(_directory, n + ".crt")))), ct);
            for (var depth = 0; depth <= 3; depth++)
            {
                string[] args = ["verify", "-verify_depth", $"{depth}", "-CAfile", "root.crt", .. intermediates > 0 ? new[] { "-untrusted", bundle } : [], $"leaf{intermediates}.crt"];
                var openssl = (await OpenSslAsync(args, check: false, ct)).Code == 0;
                var onehop = OneHopAccepts(intermediates, depth, untrusted[intermediates]);
                verdicts.Add($"{intermediates} intermediates, depth {depth}: openssl {openssl}, onehop {onehop}");
            }
        }

        Assert.All(verdicts, v => Assert.True(v.Contains("openssl True, onehop True", StringComparison.Ordinal) || v.Contains("openssl False, onehop False", StringComparison.Ordinal), v));
        // OpenSSL's own rule, so a change of its meaning is seen here too: depth N allows N intermediates.
        Assert.Contains("1 intermediates, depth 0: openssl False, onehop False", verdicts);
        Assert.Contains("1 intermediates, depth 1: openssl True, onehop True", verdicts);
        Assert.Contains("2 intermediates, depth 1: openssl False, onehop False", verdicts);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private bool OneHopAccepts(int intermediates, int depth, string[] untrusted)
    {
        using var leaf = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(_directory, $"leaf{intermediates}.crt")));
        using var sent = new X509Chain();
        foreach (var name in untrusted)
        {
            sent.ChainPolicy.ExtraStore.Add(X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(_directory, name + ".crt"))));
        }

        var policy = new BackendTls { CaPem = File.ReadAllText(Path.Combine(_directory, "root.crt")), ServerName = $"leaf{intermediates}.pods.test", VerifyDepth = depth };
        return new BackendCertificateValidator(policy, _ => { }).Validate(this, leaf, sent, SslPolicyErrors.None);
    }

    private async Task SignAsync(string name, string issuer, bool ca, CancellationToken ct)
    {
        await OpenSslAsync(ct, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", $"{name}.key", "-out", $"{name}.csr", "-subj", $"/CN={name}");
        await File.WriteAllTextAsync(
            Path.Combine(_directory, $"{name}.ext"),
            ca ? "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n" : $"basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:{name}.pods.test\n",
            ct);
        await OpenSslAsync(ct, "x509", "-req", "-in", $"{name}.csr", "-CA", $"{issuer}.crt", "-CAkey", $"{issuer}.key", "-CAcreateserial", "-out", $"{name}.crt", "-days", "2", "-extfile", $"{name}.ext");
    }

    private Task<(int Code, string Output, string Error)> OpenSslAsync(CancellationToken ct, params string[] args) => OpenSslAsync(args, check: true, ct);

    private async Task<(int Code, string Output, string Error)> OpenSslAsync(string[] args, bool check, CancellationToken ct)
    {
        // Paths relative to the test's directory: openssl runs there.
        var result = await ExternalTool.RunAsync("sh", ["-c", $"cd '{_directory}' && exec openssl {string.Join(' ', args.Select(a => $"'{a}'"))}"], null, ct);
        Assert.True(!check || result.Code == 0, $"openssl {string.Join(' ', args)}: {result.Error}");
        return result;
    }
}
