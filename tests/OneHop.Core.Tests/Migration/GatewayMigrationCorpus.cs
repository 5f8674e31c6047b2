using System.Text.RegularExpressions;
using OneHop.Core.Configuration;
using OneHop.Core.Migration;
using OneHop.Core.Routing;
using OneHop.Core.State;
using OneHop.Core.Tests.Routing;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Migration;

/// <summary>
/// ingress-nginx's documentation corpus (Routing/Ingresses/Nginx/Corpus) both ways: its Ingresses served by an adopting
/// OneHop, and their Gateway API conversion written to a directory (with the corpus's other objects and a GatewayClass
/// of OneHop's) and loaded back through the manifest source and the translator, as a user would run it.
/// </summary>
internal static partial class GatewayMigrationCorpus
{
    public static readonly string Corpus = Path.Combine(SourceTree.ProjectDirectory, "Routing", "Ingresses", "Nginx", "Corpus");

    private static readonly Lazy<(GatewayMigration Migration, TranslationResult Ingresses, TranslationResult Gateways)> Both = new(Build);

    public static GatewayMigration Migration => Both.Value.Migration;

    public static TranslationResult Ingresses => Both.Value.Ingresses;

    public static TranslationResult Gateways => Both.Value.Gateways;

    public static GatewayMigration Convert(ClusterState state, GatewayMigrationOptions options) => GatewayMigrator.Convert(
        state.Ingresses.Select(p => (p.Value, state.OriginOf(new ObjectRef(KubeKinds.Ingress, p.Key)))),
        (service, port) => state.Services.TryGetValue(service, out var s) ? s.Spec?.Ports?.FirstOrDefault(p => p.Name == port)?.Port : null,
        options,
        state);

    private static (GatewayMigration, TranslationResult, TranslationResult) Build()
    {
        var state = GoldenCase.Load(Corpus).State;
        var ingresses = Translator.Translate(TranslatorInput.Of(state, OneHopConfig.Default with { Ingress = new IngressSettings { AdoptIngressNginx = true } }));
        var migration = Convert(state, new GatewayMigrationOptions());

        var directory = Directory.CreateTempSubdirectory("onehop-migration-").FullName;
        try
        {
            foreach (var migrated in migration.Objects)
            {
                File.WriteAllText(Path.Combine(directory, migrated.FileName), GatewayYaml.Document(migrated));
            }

            // The corpus's Services, EndpointSlices and Secrets, without its Ingresses; and the class the Gateway names.
            foreach (var file in Directory.GetFiles(Corpus, "*.yaml"))
            {
                var kept = DocumentSeparator().Split(File.ReadAllText(file)).Where(d => !IngressKind().IsMatch(d));
                File.WriteAllText(Path.Combine(directory, "corpus-" + Path.GetFileName(file)), string.Join("\n---\n", kept));
            }

            // What the comment on the BackendTLSPolicy asks for: the CA of proxy-ssl-secret in a ConfigMap.
            var ca = System.Text.Encoding.UTF8.GetString(state.Secrets[new ObjectKey("default", "pod-tls")].Data["ca.crt"]);
            File.WriteAllText(Path.Combine(directory, "configmap.yaml"), $"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: pod-tls, namespace: default}}\ndata:\n  ca.crt: |\n{string.Concat(ca.TrimEnd().Split('\n').Select(l => $"    {l}\n"))}");
            File.WriteAllText(Path.Combine(directory, "gatewayclass.yaml"), """
                apiVersion: gateway.networking.k8s.io/v1
                kind: GatewayClass
                metadata: {name: nginx}
                spec: {controllerName: onehop.dev/gateway-controller}
                """);
            var gateways = Translator.Translate(TranslatorInput.Of(GoldenCase.Load(directory).State, OneHopConfig.Default));
            return (migration, ingresses, gateways);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [GeneratedRegex(@"^---\s*$", RegexOptions.Multiline)]
    private static partial Regex DocumentSeparator();

    [GeneratedRegex(@"^kind:\s*Ingress\s*$", RegexOptions.Multiline)]
    private static partial Regex IngressKind();
}
