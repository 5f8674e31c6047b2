using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// A <see cref="ConformanceGateway"/> with the certificate Secrets the suite makes at run time (suite.go):
/// <c>certificate</c> in gateway-conformance-web-backend and <c>tls-validity-checks-certificate</c> in
/// gateway-conformance-infra. The suite's are self-signed for <c>*</c>, <c>*.org</c> and <c>*.wildcard.org</c>, names
/// no verifying client accepts; these are issued by a throwaway CA for the hosts the cases ask for.
/// </summary>
public abstract class SuiteSecretsGateway(EchoBackends backends, string manifest) : ConformanceGateway(backends, manifest)
{
    /// <summary>The hosts <c>tls-validity-checks-certificate</c> names: the HTTPS cases' hosts.</summary>
    internal static readonly string[] ValidityChecksHosts = ["example.org", "second-example.org", "unknown-example.org", "secure.test.com", "*.wildcard.org"];

    /// <summary>The CA that issued both Secrets' certificates: what a client of the HTTPS listeners trusts.</summary>
    internal TestCertificates Ca { get; } = new("Conformance Server CA");

    protected override Task<IReadOnlyDictionary<string, string>> MoreFilesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string> { ["suite-secrets.yaml"] = SecretsYaml(Ca) });

    protected override ValueTask DisposeMoreAsync()
    {
        Ca.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The two Secrets as manifests, issued by <paramref name="ca"/>.</summary>
    internal static string SecretsYaml(TestCertificates ca) =>
        TestCertificates.Secret("certificate", ca.Issue("certificate.example.org"), ns: EchoBackends.WebBackend)
        + TestCertificates.Secret("tls-validity-checks-certificate", ca.Issue(ValidityChecksHosts), ns: EchoBackends.Infra);
}
