using System.CommandLine;
using System.Text.Json;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using OneHop.Core.Admin;
using OneHop.Core.Routing.Ingresses.Nginx;
using OneHop.Core.Sources.Kubernetes;
using OneHop.Core.Sources.Manifests;
using OneHop.Core.State;

namespace OneHop.Cli;

/// <summary>
/// <c>onehop migrate</c>: for ingress-nginx users. Reads Ingresses from a directory or the cluster and says, per Ingress,
/// which <c>nginx.ingress.kubernetes.io/*</c> annotations OneHop honours, honours with a difference, or cannot serve, and
/// the same of each key of the controller ConfigMap (<c>--nginx-configmap</c>); exits 1 when any cannot be served, so a
/// pipeline stops before the switch.
/// </summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var manifests = CliOptions.Manifests("whose Ingresses to assess");
        var kubeconfig = CliOptions.Kubeconfig("Read the cluster's Ingresses");
        var context = CliOptions.Context();
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var gatewayApi = MigrateToGatewayApi.Options();
        var nginxConfigMap = CliOptions.NginxConfigMap();
        nginxConfigMap.Description = "ingress-nginx's controller ConfigMap, from the manifests or the cluster: each key is assessed as the annotations are (honoured, with a difference, or not supported and why; exit 1 when any is not). With --to gateway-api its defaults apply to the Ingresses as when OneHop serves them, add-headers, proxy-set-headers and hide-headers become header modifiers on every rule, and every key is noted (how it maps, or why not).";
        var command = new Command("migrate", "Assess ingress-nginx Ingresses: each nginx.ingress.kubernetes.io annotation (and, with --nginx-configmap, each key of the controller ConfigMap) as honoured, honoured with a difference, or not supported (why); exit 1 when anything is not supported. With --to gateway-api, write the equivalent Gateway API objects instead; exit 1 when anything did not map.")
        {
            manifests, kubeconfig, context, json, gatewayApi.To, gatewayApi.Out, gatewayApi.GatewayClass, gatewayApi.GatewayName, nginxConfigMap,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var fromApi = result.GetValue(kubeconfig) is not null || result.GetValue(context) is not null;
            if (fromApi == (result.GetValue(manifests) is not null))
            {
                error.WriteLine("onehop migrate: give either --manifests DIR or --kubeconfig PATH (and --context NAME).");
                return 2;
            }

            if (gatewayApi.Misuse(result) is { } misuse)
            {
                error.WriteLine($"onehop migrate: {misuse}");
                return 2;
            }

            List<(V1Ingress, ObjectOrigin)> ingresses;
            IReadOnlyCollection<V1Service> services;
            var configMaps = ClusterState.Empty;
            if (result.GetValue(manifests) is { } directory)
            {
                var source = new ManifestDirectorySource(directory.FullName, new ManifestSourceOptions(), TimeProvider.System, NullLogger<ManifestDirectorySource>.Instance);
                source.Rescan();
                foreach (var diagnostic in source.Current.Diagnostics)
                {
                    error.WriteLine($"onehop migrate: {diagnostic.Origin}: {diagnostic.Message}");
                }

                var state = source.Current.State;
                ingresses = [.. state.Ingresses.Select(p => (p.Value, state.OriginOf(new ObjectRef(KubeKinds.Ingress, p.Key))))];
                services = [.. state.Services.Values];
                configMaps = state;
            }
            else
            {
                var (client, problem) = KubernetesConnection.Connect(result.GetValue(kubeconfig)?.FullName, result.GetValue(context), inCluster: false);
                if (client is null)
                {
                    error.WriteLine($"onehop migrate: {problem}");
                    return 2;
                }

                using (client)
                {
                    try
                    {
                        var list = await client.NetworkingV1.ListIngressForAllNamespacesAsync(cancellationToken: cancellationToken);
                        ingresses = [.. list.Items.Select(i => (i, ObjectOrigin.Kubernetes))];
                        services = result.GetValue(gatewayApi.To) is null ? [] : [.. (await client.CoreV1.ListServiceForAllNamespacesAsync(cancellationToken: cancellationToken)).Items];
                        if (result.GetValue(gatewayApi.To) is not null || result.GetValue(nginxConfigMap) is not null)
                        {
                            configMaps = await MigrationConfigMaps.ReadAsync(client, list.Items, result.GetValue(nginxConfigMap), cancellationToken);
                        }
                    }
                    catch (Exception ex) when (ex is k8s.Autorest.HttpOperationException or HttpRequestException)
                    {
                        error.WriteLine($"onehop migrate: could not list Ingresses and Services: {ex.Message}");
                        return 2;
                    }
                }
            }

            if (result.GetValue(gatewayApi.To) is not null)
            {
                return gatewayApi.Run(result, ingresses, services, configMaps, result.GetValue(nginxConfigMap), output, error);
            }

            var controller = result.GetValue(nginxConfigMap) is { } map ? NginxControllerReport.Of(map, configMaps.ConfigMaps.GetValueOrDefault(map)) : null;
            var report = NginxMigrationReport.Of(ingresses, controller);
            if (result.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(report, AdminJsonContext.Default.NginxMigrationReport));
            }
            else
            {
                Print(report, output);
            }

            return report.AnythingUnsupported ? 1 : 0;
        });
        return command;
    }

    private static void Print(NginxMigrationReport report, TextWriter output)
    {
        foreach (var ingress in report.Ingresses)
        {
            output.WriteLine($"Ingress {ingress.Namespace}/{ingress.Name} ({ingress.Origin}): {(ingress.Annotations.IsEmpty ? "no ingress-nginx annotations" : ingress.Unsupported ? "NOT fully served" : "served")}");
            foreach (var annotation in ingress.Annotations)
            {
                output.WriteLine($"  {Status(annotation.Status),-11} {annotation.Annotation[NginxAnnotations.Prefix.Length..]}: {annotation.Note}");
            }
        }

        if (report.Controller is { } controller)
        {
            output.WriteLine($"ConfigMap {controller.Namespace}/{controller.Name} (the controller's): {(!controller.Found ? "NOT FOUND: the Ingresses would be served without its settings" : controller.Unsupported ? "NOT fully served" : "served")}");
            foreach (var key in controller.Keys)
            {
                output.WriteLine($"  {Status(key.Status),-11} {key.Key}: {key.Note}");
            }
        }

        var s = report.Summary;
        output.WriteLine();
        output.WriteLine($"{s.Ingresses} Ingresses, {s.IngressesFullyServed} fully served; annotations: {s.Honoured} honoured, {s.Difference} honoured with a difference, {s.Unsupported} unsupported, {s.Unknown} unknown, {s.Invalid} with a bad value.");
        if (report.Controller is { Found: true } c)
        {
            output.WriteLine($"ConfigMap keys: {c.Count(NginxAnnotationStatus.Honoured)} honoured, {c.Count(NginxAnnotationStatus.Difference)} honoured with a difference, {c.Count(NginxAnnotationStatus.Unsupported)} unsupported, {c.Count(NginxAnnotationStatus.Unknown)} unknown, {c.Count(NginxAnnotationStatus.Invalid)} with a bad value.");
        }
    }

    private static string Status(NginxAnnotationStatus status) => status switch
    {
        NginxAnnotationStatus.Honoured => "honoured",
        NginxAnnotationStatus.Difference => "difference",
        NginxAnnotationStatus.Unsupported => "UNSUPPORTED",
        NginxAnnotationStatus.Unknown => "UNKNOWN",
        _ => "INVALID",
    };
}
