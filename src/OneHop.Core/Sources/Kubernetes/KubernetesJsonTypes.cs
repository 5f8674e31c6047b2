using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Models;
using OneHop.Core.State;
using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.Sources.Kubernetes;

/// <summary>
/// Teaches KubernetesClient's JSON settings (<see cref="KubernetesJson"/>, used for every request and answer) the
/// types OneHop sends and receives beyond its generated models, so that none of them falls back to reflection, which
/// a Native AOT build does not have: each kind's watch events and Gateway API lists (converters), the Gateway API
/// kinds and their status (<see cref="GatewayApiJsonContext"/>), and what KubernetesClient's watch reads first
/// (<see cref="KubernetesClientJsonContext"/>). Both builds run with them.
/// </summary>
internal static class KubernetesJsonTypes
{
    private static readonly Lock Gate = new();
    private static bool _registered;

    /// <summary>
    /// Adds them once, before KubernetesJson is first used (its settings cannot change after that: false then, and the
    /// JIT build's reflection fallback carries on). <c>onehop</c> calls it first thing.
    /// </summary>
    public static bool Register()
    {
        lock (Gate)
        {
            if (!_registered)
            {
                KubernetesJson.AddJsonOptions(options =>
                {
                    if (!options.IsReadOnly)
                    {
                        Add(options);
                        _registered = true;
                    }
                });
            }

            return _registered;
        }
    }

    /// <summary>Adds the converters' and the generated metadata to <paramref name="options"/> (tests use a copy).</summary>
    internal static void Add(JsonSerializerOptions options)
    {
        // Ahead of KubernetesClient's reflection fallback, after its generated models.
        var fallback = options.TypeInfoResolverChain.ToList().FindIndex(r => r is DefaultJsonTypeInfoResolver);
        var at = fallback < 0 ? options.TypeInfoResolverChain.Count : fallback;
        options.TypeInfoResolverChain.Insert(at, KubernetesClientJsonContext.Default);
        options.TypeInfoResolverChain.Insert(at, GatewayApiJsonContext.Default);
        options.TypeInfoResolverChain.Insert(at, new ConverterResolver(
        [
            .. KindRegistry.All.SelectMany(kind => kind.Accept(Converters.Instance)),
            ConverterResolver.For(new WatchEventJsonConverter<KubernetesObject>()),
            ConverterResolver.For(new WatchEventJsonConverter<V1Status>()),
        ]));
    }

    private sealed class Converters : IKindVisitor<KeyValuePair<Type, Func<JsonSerializerOptions, JsonTypeInfo>>[]>
    {
        public static readonly Converters Instance = new();

        public KeyValuePair<Type, Func<JsonSerializerOptions, JsonTypeInfo>>[] Visit<T>(KubeKind<T> kind)
            where T : class, IKubernetesObject<V1ObjectMeta> =>
            kind.Group == GatewayApiNames.Group
                ? [ConverterResolver.For(new WatchEventJsonConverter<T>()), ConverterResolver.For(new CustomListJsonConverter<T>())]
                : [ConverterResolver.For(new WatchEventJsonConverter<T>())];
    }
}
