using OneHop.Core.Routing;
using OneHop.Core.State;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing;

public sealed class TranslationCacheTests
{
    private static readonly ObjectKey ApiSlice = new("default", "api-1");

    [Fact]
    public void A_changed_slice_is_translated_again_and_everything_else_is_reused()
    {
        var before = State("10.0.1.1");
        var changed = State("10.0.1.2");
        var after = before with { EndpointSlices = before.EndpointSlices.SetItem(ApiSlice, changed.EndpointSlices[ApiSlice]) };
        var cache = new TranslationCache();

        var first = Translator.Translate(TranslatorInput.Of(before) with { Cache = cache });
        var second = Translator.Translate(TranslatorInput.Of(after) with { Cache = cache });
        var uncached = Translator.Translate(TranslatorInput.Of(after));

        Assert.Equal(uncached.Snapshot, second.Snapshot);
        Assert.Equal(uncached.Diagnostics, second.Diagnostics);
        Assert.True(Backend(first, "web").Endpoints == Backend(second, "web").Endpoints, "the unchanged backend keeps its endpoint array");
        Assert.Equal("10.0.1.2", Assert.Single(Backend(second, "api").Endpoints).Address);
    }

    [Fact]
    public void A_deleted_object_leaves_the_cache()
    {
        var before = State("10.0.1.1");
        var cache = new TranslationCache();
        Translator.Translate(TranslatorInput.Of(before) with { Cache = cache });
        var slice = before.EndpointSlices[ApiSlice];

        Translator.Translate(TranslatorInput.Of(before with { EndpointSlices = before.EndpointSlices.Remove(ApiSlice) }) with { Cache = cache });

        Assert.False(cache.TryGetSlice(ApiSlice, slice, before.OriginOf(new ObjectRef(KubeKinds.EndpointSlice, ApiSlice)), out _));
    }

    private static Backend Backend(TranslationResult result, string service) =>
        result.Snapshot.Backends.Single(b => b.Id == $"default/{service}:80");

    private static ClusterState State(string apiAddress) => Manifests.State(
        Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1") + Manifests.Service("api", apiAddress)
        + Manifests.Ingress("web", "web.example.com", "/", "web") + Manifests.Ingress("api", "api.example.com", "/", "api"));
}
