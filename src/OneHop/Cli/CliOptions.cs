using System.CommandLine;
using System.CommandLine.Parsing;
using Microsoft.Extensions.Logging;
using OneHop.Core.Sources.Config;

namespace OneHop.Cli;

/// <summary>The options shared by several commands, defined once so that --help says the same everywhere.</summary>
internal static class CliOptions
{
    public static Option<DirectoryInfo?> Manifests() => new("--manifests")
    {
        Description = "Directory of Kubernetes manifests (*.yaml, *.yml, *.json) to serve; watched for changes.",
        HelpName = "DIR",
    };

    public static Option<FileInfo?> Config() => new("--config")
    {
        Description = "OneHop config file (listeners, defaults, upstreams outside Kubernetes); watched for changes.",
        HelpName = "FILE",
    };

    public static Option<ListenAddress[]> Http(string? defaultText = null) => new("--http")
    {
        Description = "Listen for HTTP on ADDR:PORT (repeatable). Replaces the config file's listeners."
            + (defaultText is null ? string.Empty : $" [default: {defaultText}]"),
        HelpName = "ADDR:PORT",
        AllowMultipleArgumentsPerToken = false,
        Arity = ArgumentArity.ZeroOrMore,
        CustomParser = ParseAddresses,
    };

    public static Option<ListenAddress?> Admin(string defaultText) => new("--admin")
    {
        Description = $"Admin API listener (/healthz, /readyz, /metrics, /api/routes, /api/status). [default: {defaultText}]",
        HelpName = "ADDR:PORT",
        CustomParser = r => ParseAddresses(r) is [var a] ? a : null,
    };

    public static Option<bool> WatchIngressWithoutClass() => new("--watch-ingress-without-class")
    {
        Description = "Serve Ingresses that name no IngressClass even when no IngressClass of OneHop is the default.",
    };

    public static Option<string?> IngressClass() => new("--ingress-class")
    {
        Description = "Serve only this IngressClass (it must name controller onehop.dev/ingress-controller), and accept it in the kubernetes.io/ingress.class annotation.",
        HelpName = "NAME",
    };

    public static Option<string?> Zone() => new("--zone")
    {
        Description = "The zone this replica runs in (e.g. its node's topology.kubernetes.io/zone): prefer pods in the same zone while they can carry this zone's share of traffic.",
        HelpName = "ZONE",
    };

    public static Option<LogLevel> LogLevel() => new("--log-level")
    {
        Description = "Least severe log level written: Trace, Debug, Information, Warning, Error.",
        DefaultValueFactory = _ => Microsoft.Extensions.Logging.LogLevel.Information,
    };

    private static ListenAddress[] ParseAddresses(ArgumentResult result)
    {
        var addresses = new List<ListenAddress>();
        foreach (var token in result.Tokens)
        {
            if (ListenAddress.TryParse(token.Value, out var address, out var error))
            {
                addresses.Add(address);
            }
            else
            {
                result.AddError(error!);
            }
        }

        return [.. addresses];
    }
}
