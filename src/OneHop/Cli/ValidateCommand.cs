using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using OneHop.Core.Admin;
using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;
using OneHop.Core.Sources.Config;
using OneHop.Core.Sources.Manifests;
using OneHop.Core.State;
using OneHop.Hosting;

namespace OneHop.Cli;

/// <summary>
/// <c>onehop validate</c>: read manifests and config exactly as <c>run</c> would, print every finding, and exit
/// non-zero when there is an error. For CI pipelines and pre-commit hooks.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var manifests = CliOptions.Manifests("to check, read as run reads them");
        var config = CliOptions.Config("to check: every error is printed with its field, line and column");
        var watchWithoutClass = CliOptions.WatchIngressWithoutClass();
        var ingressClass = CliOptions.IngressClass();
        var adoptNginx = CliOptions.AdoptIngressNginx();
        var ownNginx = CliOptions.OwnIngressNginx();
        var nginxConfigMap = CliOptions.NginxConfigMap();
        var gatewayClass = CliOptions.GatewayClass();
        var json = new Option<bool>("--json") { Description = "Print the routing snapshot and diagnostics as JSON." };
        var command = new Command("validate", "Check manifests and config; print every error with its file, line, object and field; exit 1 on any error.")
        {
            manifests, config, watchWithoutClass, ingressClass, adoptNginx, ownNginx, nginxConfigMap, gatewayClass, json,
        };
        command.SetAction(result =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            if (result.GetValue(manifests) is null && result.GetValue(config) is null)
            {
                error.WriteLine("onehop validate: give --manifests DIR and/or --config FILE.");
                return 2;
            }

            var diagnostics = new List<Diagnostic>();
            var loadedConfig = OneHopConfig.Default;
            if (result.GetValue(config) is { } configFile)
            {
                var loaded = ConfigLoader.LoadFile(configFile.FullName);
                diagnostics.AddRange(loaded.Diagnostics);
                loadedConfig = loaded.Config ?? OneHopConfig.Default;
            }

            var cluster = ClusterState.Empty;
            if (result.GetValue(manifests) is { } directory)
            {
                var source = new ManifestDirectorySource(directory.FullName, new ManifestSourceOptions(), TimeProvider.System, NullLogger<ManifestDirectorySource>.Instance);
                source.Rescan();
                diagnostics.AddRange(source.Current.Diagnostics);
                cluster = source.Current.State;
            }

            var options = new ServerOptions
            {
                WatchIngressWithoutClass = result.GetValue(watchWithoutClass) ? true : null,
                IngressClass = result.GetValue(ingressClass),
                AdoptIngressNginx = result.GetValue(adoptNginx),
                OwnIngressNginx = result.GetValue(ownNginx),
                NginxConfigMap = result.GetValue(nginxConfigMap),
                GatewayClass = result.GetValue(gatewayClass),
            };
            var translation = Translator.Translate(TranslatorInput.Of(cluster, options.ApplyOverrides(loadedConfig)));
            var document = TranslationDocument.Of(translation, diagnostics);
            if (result.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(document, AdminJsonContext.Default.TranslationDocument));
            }
            else
            {
                Print(document, output);
            }

            return document.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error) ? 1 : 0;
        });
        return command;
    }

    private static void Print(TranslationDocument document, TextWriter output)
    {
        foreach (var diagnostic in document.Diagnostics.OrderByDescending(d => d.Severity))
        {
            output.WriteLine(diagnostic);
        }

        var snapshot = document.Snapshot;
        var errors = document.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
        var warnings = document.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning);
        output.WriteLine(
            $"{snapshot.Routes.Length} routes, {snapshot.Backends.Length} backends, {snapshot.Backends.Sum(b => b.Endpoints.Length)} endpoints; "
            + (snapshot.L4 is { } l4 ? $"{l4.Listeners.Length} L4 listeners, {l4.Passthrough.Length} passthrough hosts, {l4.Backends.Sum(b => b.Endpoints.Length)} L4 endpoints; " : string.Empty)
            + $"{errors} errors, {warnings} warnings, {document.Ignored.Length} ignored");
    }
}
