using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Models;
using OneHop.Core.Sources.Kubernetes;
using OneHop.Core.State;
using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.Tests.Sources.Kubernetes;

/// <summary>
/// What KubernetesClient reads and writes for OneHop, with its reflection fallback taken out as a Native AOT build
/// has none: every kind's watch events, Gateway API lists and status, the Status a watch can end with.
/// </summary>
public sealed class KubernetesJsonTypesTests
{
    private static readonly JsonSerializerOptions Options = WithoutReflection();

    [Fact]
    public void A_built_in_kind_s_watch_event_is_read()
    {
        var line = """{"type":"MODIFIED","object":{"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"default","resourceVersion":"7"},"spec":{"ports":[{"port":80,"targetPort":"http"}]}}}""";

        var read = Read<Watcher<V1Service>.WatchEvent>(line);

        Assert.Equal(WatchEventType.Modified, read.Type);
        Assert.Equal(("web", "7"), (read.Object.Metadata.Name, read.Object.Metadata.ResourceVersion));
        Assert.Equal("http", read.Object.Spec.Ports[0].TargetPort.Value);
    }

    [Fact]
    public void A_gateway_api_watch_event_and_list_are_read()
    {
        var route = """{"apiVersion":"gateway.networking.k8s.io/v1","kind":"HTTPRoute","metadata":{"name":"r","namespace":"default"},"spec":{"hostnames":["a.example.com"]}}""";

        var watched = Read<Watcher<HttpRoute>.WatchEvent>($$"""{"type":"ADDED","object":{{route}}}""");
        var listed = Read<CustomList<HttpRoute>>($$"""{"apiVersion":"gateway.networking.k8s.io/v1","kind":"HTTPRouteList","metadata":{"resourceVersion":"12","continue":"next"},"items":[{{route}},{{route}}],"extra":1}""");

        Assert.Equal(WatchEventType.Added, watched.Type);
        Assert.Equal(["a.example.com"], watched.Object.Spec!.Hostnames!);
        Assert.Equal(("12", "next", 2), (listed.Metadata.ResourceVersion, listed.Metadata.ContinueProperty, listed.Items.Count));
        Assert.Equal("r", listed.Items[1].Metadata.Name);
    }

    [Fact]
    public void A_status_that_ends_a_watch_is_read_as_KubernetesClient_reads_it()
    {
        var line = """{"type":"ERROR","object":{"apiVersion":"v1","kind":"Status","status":"Failure","reason":"Expired","code":410,"message":"too old resource version"}}""";

        Assert.Equal("Status", Read<Watcher<KubernetesObject>.WatchEvent>(line).Object.Kind);
        var status = Read<Watcher<V1Status>.WatchEvent>(line);
        Assert.Equal((WatchEventType.Error, 410), (status.Type, status.Object.Code));
    }

    [Fact]
    public void Every_kind_s_watch_event_has_metadata_without_reflection()
    {
        foreach (var kind in KindRegistry.All)
        {
            var eventType = typeof(Watcher<>.WatchEvent).MakeGenericType(kind.Accept(new ModelType()));
            Assert.NotNull(Options.GetTypeInfo(eventType));
        }
    }

    [Fact]
    public void An_unknown_event_type_is_an_error()
    {
        Assert.Throws<JsonException>(() => Read<Watcher<V1Service>.WatchEvent>("""{"type":"RENAMED","object":{}}"""));
    }

    [Theory]
    [InlineData("""[]""")]
    [InlineData("""{"items":{}}""")]
    [InlineData("""{"items":[1]}""")]
    public void A_list_of_the_wrong_shape_is_an_error(string json)
    {
        Assert.Throws<JsonException>(() => Read<CustomList<HttpRoute>>(json));
    }

    [Theory]
    [InlineData("""[]""")]
    [InlineData("""{"type":"ADDED","object":[]}""")]
    public void A_watch_event_of_the_wrong_shape_is_an_error(string json)
    {
        Assert.Throws<JsonException>(() => Read<Watcher<HttpRoute>.WatchEvent>(json));
    }

    [Fact]
    public void A_list_without_items_is_empty()
    {
        Assert.Empty(Read<CustomList<HttpRoute>>("""{"kind":"HTTPRouteList","items":null}""").Items);
    }

    [Fact]
    public void A_gateway_api_watch_event_round_trips()
    {
        var gateway = new Gateway { ApiVersion = "gateway.networking.k8s.io/v1", Kind = "Gateway", Metadata = new V1ObjectMeta { Name = "g" } };
        var written = JsonSerializer.Serialize(new Watcher<Gateway>.WatchEvent { Type = WatchEventType.Bookmark, Object = gateway }, Options.GetTypeInfo(typeof(Watcher<Gateway>.WatchEvent)));

        Assert.StartsWith("""{"type":"BOOKMARK","object":{"apiVersion":"gateway.networking.k8s.io/v1","kind":"Gateway","metadata":{"name":"g"},"spec":""", written, StringComparison.Ordinal);
        Assert.Equal("g", Read<Watcher<Gateway>.WatchEvent>(written).Object.Metadata.Name);
    }

    private static T Read<T>(string json) => JsonSerializer.Deserialize(json, (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T)))!;

    private static JsonSerializerOptions WithoutReflection()
    {
        JsonSerializerOptions? kubernetes = null;
        KubernetesJson.AddJsonOptions(o => kubernetes = o);
        var options = new JsonSerializerOptions(kubernetes!);
        for (var i = options.TypeInfoResolverChain.Count - 1; i >= 0; i--)
        {
            if (options.TypeInfoResolverChain[i] is DefaultJsonTypeInfoResolver)
            {
                options.TypeInfoResolverChain.RemoveAt(i);
            }
        }

        KubernetesJsonTypes.Add(options);
        return options;
    }

    private sealed class ModelType : IKindVisitor<Type>
    {
        public Type Visit<T>(KubeKind<T> kind)
            where T : class, IKubernetesObject<V1ObjectMeta> => typeof(T);
    }
}
