using OneHop.Core.Migration;
using OneHop.Core.Routing;
using OneHop.Core.Tests.Routing;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Migration;

/// <summary>
/// The YAML <c>onehop migrate --to gateway-api</c> writes, per case under Golden/ (<c>manifests/</c> →
/// <c>expected.yaml</c>, and the notes <c>expected-notes.txt</c>); regenerate with <c>ONEHOP_UPDATE_GOLDEN=1</c>.
/// The "corpus" case converts ingress-nginx's documentation corpus of Routing/Ingresses/Nginx/Corpus.
/// </summary>
public sealed class GatewayMigrationGoldenTests
{
    private static readonly string Root = Path.Combine(SourceTree.ProjectDirectory, "Migration", "Golden");

    [Theory]
    [InlineData("corpus", null, null)]
    [InlineData("shared-gateway", "onehop", "infra/edge")]
    [InlineData("bad-ingress", null, null)]
    public void Golden_yaml_and_notes(string name, string? gatewayClass, string? gatewayName)
    {
        var directory = Path.Combine(Root, name);
        var input = name == "corpus" ? GatewayMigrationCorpus.Corpus : Path.Combine(directory, "manifests");
        var migration = GatewayMigrationCorpus.Convert(GoldenCase.Load(input).State, GatewayMigrationOptions.Of(gatewayClass, gatewayName));
        Check(Path.Combine(directory, "expected.yaml"), GatewayYaml.Stream(migration.Objects));
        Check(Path.Combine(directory, "expected-notes.txt"), string.Concat(migration.Notes.Select(n => $"{n.Origin}: {n}\n")));
    }

    /// <summary>
    /// One Gateway for every namespace: OneHop attaches the routes of the other namespaces and takes the certificates
    /// and the canary's Service through the ReferenceGrants; what it reports is only what the case leaves out on purpose
    /// (the Services' pods, the Secrets' certificates, the ConfigMap of the CA).
    /// </summary>
    [Fact]
    public void A_shared_gateway_s_routes_attach_and_its_grants_open_the_references()
    {
        var directory = Path.Combine(Root, "shared-gateway");
        var migration = GatewayMigrationCorpus.Convert(GoldenCase.Load(Path.Combine(directory, "manifests")).State, GatewayMigrationOptions.Of("onehop", "infra/edge"));
        var output = Directory.CreateTempSubdirectory("onehop-migration-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(output, "gateway-api.yaml"), GatewayYaml.Stream(migration.Objects));
            File.WriteAllText(Path.Combine(output, "class.yaml"), "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: onehop}\nspec: {controllerName: onehop.dev/gateway-controller}\n");
            var result = Translator.Translate(TranslatorInput.Of(GoldenCase.Load(output).State, Configuration.OneHopConfig.Default));
            var reported = result.Diagnostics.Select(d => $"{d.Code} {d.Object}").Distinct().Order(StringComparer.Ordinal).ToList();
            Assert.Equal(
                [
                    "InvalidBackendTlsPolicy BackendTLSPolicy api/api-backend-tls", // the ConfigMap of the CA
                    "InvalidGatewayListener Gateway infra/edge", // the Secrets, and the passthrough listener beside HTTPS (noted on ssl-passthrough)
                    "RouteNotAccepted TLSRoute vault/vault-vault-example-com", // that listener's route
                    "UnresolvedBackend GRPCRoute api/rpc-rpc-example-com",
                    "UnresolvedBackend HTTPRoute api/api-api-example-com",
                    "UnresolvedBackend HTTPRoute shop/shop-shop-example-com",
                    "UnresolvedBackend TLSRoute vault/vault-vault-example-com",
                ],
                reported);
            Assert.Equal(3, result.Diagnostics.Count(d => d.Code == "InvalidGatewayListener"));
            Assert.Contains(migration.Notes, n => n.Field.EndsWith("[nginx.ingress.kubernetes.io/ssl-passthrough]", StringComparison.Ordinal) && n.Kind == MigrationNoteKind.NotMapped);
            Assert.DoesNotContain(result.Diagnostics, d => d.Message.Contains("ReferenceGrant", StringComparison.Ordinal) || d.Message.Contains("not allowed", StringComparison.OrdinalIgnoreCase));
            Assert.Equal(3, result.Snapshot.Routes.Count(r => r.Host == "shop.example.com" && r.Filters?.Redirect is null));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static void Check(string path, string actual)
    {
        if (SourceTree.UpdateGolden)
        {
            File.WriteAllText(path, actual);
            return;
        }

        Assert.Equal(File.ReadAllText(path), actual);
    }
}
