using OneHop.Core.Migration;
using OneHop.Core.Routing;
using OneHop.Core.State;
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
    [InlineData("nginx-configmap", null, null, "ingress-nginx/ingress-nginx-controller")]
    public void Golden_yaml_and_notes(string name, string? gatewayClass, string? gatewayName, string? nginxConfigMap = null)
    {
        var directory = Path.Combine(Root, name);
        var input = name == "corpus" ? GatewayMigrationCorpus.Corpus : Path.Combine(directory, "manifests");
        var options = GatewayMigrationOptions.Of(gatewayClass, gatewayName) with { NginxConfigMap = nginxConfigMap?.Split('/') is [var ns, var map] ? new ObjectKey(ns, map) : null };
        var migration = GatewayMigrationCorpus.Convert(GoldenCase.Load(input).State, options);
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
            var result = Translator.Translate(TranslatorInput.Of(GoldenCase.Load(output).State, Core.Configuration.OneHopConfig.Default));
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

    /// <summary>
    /// The controller ConfigMap's headers and an Ingress's custom-headers, written as header modifiers, and its mirror and
    /// alias, load back into OneHop as routes that set, remove and mirror as the Ingress did; the refused custom-headers
    /// ConfigMap is noted on its Ingress and the controller's other keys on the Gateway.
    /// </summary>
    [Fact]
    public void Controller_and_custom_headers_load_back_as_the_same_header_edits()
    {
        var state = GoldenCase.Load(Path.Combine(Root, "nginx-configmap", "manifests")).State;
        var migration = GatewayMigrationCorpus.Convert(state, new GatewayMigrationOptions { NginxConfigMap = new ObjectKey("ingress-nginx", "ingress-nginx-controller") });
        var output = Directory.CreateTempSubdirectory("onehop-migration-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(output, "gateway-api.yaml"), GatewayYaml.Stream(migration.Objects));
            File.WriteAllText(Path.Combine(output, "services.yaml"), "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  ports: [{name: http, port: 80, targetPort: 8080}]\n");
            File.WriteAllText(Path.Combine(output, "class.yaml"), "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: nginx}\nspec: {controllerName: onehop.dev/gateway-controller}\n");
            var result = Translator.Translate(TranslatorInput.Of(GoldenCase.Load(output).State, Core.Configuration.OneHopConfig.Default));
            Assert.DoesNotContain(result.Diagnostics, d => d.Severity == Diagnostics.DiagnosticSeverity.Error);
            var shop = result.Snapshot.Routes.Where(r => r.Host is "shop.example.com" or "www.shop.example.com").ToList();
            Assert.Equal(2, shop.Count);
            Assert.All(shop, route =>
            {
                var filters = route.Filters!;
                Assert.Equal(["X-Team=shop"], filters.Request!.Set.Select(h => $"{h.Key}={h.Value}"));
                Assert.Equal(["X-Frame-Options=DENY", "X-Shop=one"], filters.Response!.Set.Select(h => $"{h.Key}={h.Value}"));
                Assert.Equal(["X-Powered-By", "Server"], filters.Response.Remove);
                Assert.Equal("shop/web:80", Assert.Single(filters.Mirrors!).BackendId);
            });
            Assert.Contains(migration.Notes, n => n.Ingress.Name == "refused" && n.Kind == MigrationNoteKind.NotMapped && n.Message.Contains("X-Powered-By is not in the controller ConfigMap's global-allowed-response-headers", StringComparison.Ordinal));
            Assert.Contains(migration.Notes, n => n.Object == "ConfigMap" && n.Field == "data[use-forwarded-headers]" && n.Kind == MigrationNoteKind.NotMapped);
            Assert.Contains(migration.Notes, n => n.Object == "ConfigMap" && n.Field == "data[add-headers]" && n.Kind == MigrationNoteKind.Difference);
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
