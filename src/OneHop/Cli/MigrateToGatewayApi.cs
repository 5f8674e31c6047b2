using System.CommandLine;
using k8s.Models;
using OneHop.Core.Migration;
using OneHop.Core.State;

namespace OneHop.Cli;

/// <summary>
/// <c>onehop migrate --to gateway-api</c>'s options and output: the converted objects as one YAML stream on stdout, or
/// one file per object under <c>--out</c>; what did not map, and the Ingresses not converted, on stderr; exit 1 then.
/// </summary>
internal sealed record MigrateToGatewayApi(Option<string?> To, Option<DirectoryInfo?> Out, Option<string?> GatewayClass, Option<string?> GatewayName)
{
    public static MigrateToGatewayApi Options()
    {
        var to = new Option<string?>("--to") { Description = "Write the Ingresses as this API's objects instead of the report; only gateway-api." };
        to.AcceptOnlyFromAmong("gateway-api");
        return new MigrateToGatewayApi(
            to,
            new Option<DirectoryInfo?>("--out") { Description = "With --to: write one YAML file per object into this directory instead of one stream to stdout." },
            new Option<string?>("--gateway-class") { Description = "With --to: the Gateways' gatewayClassName (default: the IngressClass's name)." },
            new Option<string?>("--gateway-name") { Description = "With --to: the Gateways' name (default: the IngressClass's name, one Gateway per namespace); NAMESPACE/NAME puts one Gateway for every namespace there." });
    }

    /// <summary>What is wrong with the options given: <c>--out</c> and the Gateway's names without <c>--to</c>.</summary>
    public string? Misuse(ParseResult result) =>
        result.GetValue(To) is null && (result.GetValue(Out) is not null || result.GetValue(GatewayClass) is not null || result.GetValue(GatewayName) is not null)
            ? "--out, --gateway-class and --gateway-name go with --to gateway-api."
            : null;

    /// <param name="configMaps">The ConfigMaps read (custom-headers' and the controller's).</param>
    /// <param name="nginxConfigMap"><c>--nginx-configmap</c>, or null.</param>
    public int Run(ParseResult result, List<(V1Ingress Ingress, ObjectOrigin Origin)> ingresses, IReadOnlyCollection<V1Service> services, ClusterState configMaps, ObjectKey? nginxConfigMap, TextWriter output, TextWriter error)
    {
        var ports = services
            .SelectMany(s => (s.Spec?.Ports ?? []).Where(p => !string.IsNullOrEmpty(p.Name)).Select(p => (Key: (new ObjectKey(s.Metadata?.NamespaceProperty ?? "default", s.Metadata?.Name ?? string.Empty), p.Name), p.Port)))
            .DistinctBy(p => p.Key)
            .ToDictionary(p => p.Key, p => p.Port);
        var migration = GatewayMigrator.Convert(
            ingresses,
            (service, port) => ports.TryGetValue((service, port), out var number) ? number : null,
            GatewayMigrationOptions.Of(result.GetValue(GatewayClass), result.GetValue(GatewayName)) with { NginxConfigMap = nginxConfigMap },
            configMaps);

        foreach (var note in migration.Notes.Where(n => n.Kind != MigrationNoteKind.Difference))
        {
            error.WriteLine($"onehop migrate: {note.Origin}: {note}");
        }

        if (result.GetValue(Out) is { } directory)
        {
            directory.Create();
            foreach (var migrated in migration.Objects)
            {
                File.WriteAllText(Path.Combine(directory.FullName, migrated.FileName), GatewayYaml.Document(migrated));
            }

            error.WriteLine($"onehop migrate: {migration.Objects.Length} objects written to {directory.FullName}.");
        }
        else
        {
            output.Write(GatewayYaml.Stream(migration.Objects));
        }

        return migration.Incomplete ? 1 : 0;
    }
}
