using OneHop.Core.Diagnostics;

namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>
/// ingress-nginx's <c>server-alias</c>: more names for the server of a host, which serve every path of that host (from
/// any Ingress) with the same TLS settings. As ingress-nginx: the oldest Ingress that names aliases for a host sets
/// them (a later one is told), and an alias that is the host of any Ingress rule is dropped with a warning.
/// </summary>
internal static class NginxServerAliases
{
    private const string Field = $"metadata.annotations[{NginxAnnotations.Prefix}server-alias]";

    /// <summary><paramref name="ingresses"/> (oldest first) with copies of their rules and TLS hosts under their hosts' aliases.</summary>
    public static List<CompiledIngress> Apply(List<CompiledIngress> ingresses, List<Diagnostic> diagnostics)
    {
        var aliases = Accepted(ingresses, diagnostics);
        return aliases.Count == 0 ? ingresses : [.. ingresses.Select(i => WithAliases(i, aliases))];
    }

    /// <summary>Host → its aliases, from the oldest Ingress that names some for it.</summary>
    private static Dictionary<string, List<string>> Accepted(List<CompiledIngress> ingresses, List<Diagnostic> diagnostics)
    {
        var aliases = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (!ingresses.Any(i => !i.Nginx.ServerAliases.IsEmpty))
        {
            return aliases;
        }

        var hosts = ingresses.SelectMany(i => i.Rules.Select(r => r.Host)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var setBy = new Dictionary<string, string>(StringComparer.Ordinal);
        var taken = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase); // alias → the host it names
        foreach (var ingress in ingresses.Where(i => !i.Nginx.ServerAliases.IsEmpty && i.Nginx.Canary is null))
        {
            foreach (var host in ingress.Rules.Select(r => r.Host).Where(h => h.Length > 0).Distinct(StringComparer.Ordinal))
            {
                if (!setBy.TryAdd(host, ingress.Ref.ToString()))
                {
                    Warn(ingress, $"host '{host}' already has the aliases of {setBy[host]}; these are not applied to it", diagnostics);
                    continue;
                }

                foreach (var alias in ingress.Nginx.ServerAliases)
                {
                    if (hosts.Contains(alias))
                    {
                        Warn(ingress, $"alias '{alias}' is the host of an Ingress rule; it is dropped to avoid the conflict, as ingress-nginx does", diagnostics);
                    }
                    else if (!taken.TryAdd(alias, host))
                    {
                        Warn(ingress, $"alias '{alias}' is already an alias of host '{taken[alias]}'; it is not added to '{host}'", diagnostics);
                    }
                    else
                    {
                        (aliases.TryGetValue(host, out var list) ? list : aliases[host] = []).Add(alias);
                    }
                }
            }
        }

        return aliases;
    }

    private static CompiledIngress WithAliases(CompiledIngress ingress, Dictionary<string, List<string>> aliases)
    {
        if (!ingress.Rules.Any(r => aliases.ContainsKey(r.Host)))
        {
            return ingress;
        }

        var copies = ingress.Rules.SelectMany(r => aliases.GetValueOrDefault(r.Host) is { } names ? names.Select(a => r with { Host = a, AliasOf = r.Host }) : []);
        // The aliases share their host's certificate and TLS settings: they join each spec.tls entry that lists it.
        var tls = ingress.Tls.Select(t => t with { Hosts = [.. t.Hosts.Concat(t.Hosts.SelectMany(h => aliases.GetValueOrDefault(h) ?? [])).Distinct(StringComparer.Ordinal)] });
        return ingress with { Rules = [.. ingress.Rules, .. copies], Tls = [.. tls] };
    }

    private static void Warn(CompiledIngress ingress, string message, List<Diagnostic> diagnostics) =>
        diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.InvalidAnnotation, message, ingress.Ref, ingress.Origin, Field));
}
