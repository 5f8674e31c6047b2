using System.Collections.Immutable;
using k8s;
using k8s.Autorest;
using k8s.Models;
using OneHop.Core.Routing.Ingresses.Nginx;
using OneHop.Core.State;

namespace OneHop.Cli;

/// <summary>
/// The ConfigMaps <c>migrate --to gateway-api</c> needs from the cluster, read by name rather than listed: the controller
/// ConfigMap, those its add-headers and proxy-set-headers name, and each Ingress's custom-headers. One that is missing is
/// simply absent; the conversion notes it.
/// </summary>
internal static class MigrationConfigMaps
{
    private static readonly string[] HeaderMapKeys = ["add-headers", "proxy-set-headers"];

    public static async Task<ClusterState> ReadAsync(IKubernetes client, IEnumerable<V1Ingress> ingresses, ObjectKey? controller, CancellationToken cancellationToken)
    {
        var maps = ImmutableDictionary.CreateBuilder<ObjectKey, V1ConfigMap>();
        async Task ReadAsync(ObjectKey key)
        {
            if (maps.ContainsKey(key))
            {
                return;
            }

            try
            {
                maps[key] = await client.CoreV1.ReadNamespacedConfigMapAsync(key.Name, key.Namespace, cancellationToken: cancellationToken);
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
            }
        }

        if (controller is { } map)
        {
            await ReadAsync(map);
            if (maps.TryGetValue(map, out var read))
            {
                foreach (var named in HeaderMapKeys.Select(k => Value(read.Data, k)).OfType<string>())
                {
                    if (Key(named) is { } key)
                    {
                        await ReadAsync(key);
                    }
                }
            }
        }

        foreach (var named in ingresses.Select(i => Value(i.Metadata?.Annotations, NginxAnnotations.Prefix + "custom-headers")).OfType<string>())
        {
            if (Key(named) is { } key)
            {
                await ReadAsync(key);
            }
        }

        return ClusterState.Empty with { ConfigMaps = maps.ToImmutable() };
    }

    private static string? Value(IDictionary<string, string>? data, string key) => data is not null && data.TryGetValue(key, out var value) ? value : null;

    private static ObjectKey? Key(string text) => text.Trim().Split('/') is [{ Length: > 0 } ns, { Length: > 0 } name] ? new ObjectKey(ns, name) : null;
}
