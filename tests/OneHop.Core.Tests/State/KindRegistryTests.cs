using k8s;
using k8s.Models;
using OneHop.Core.Sources.Kubernetes;
using OneHop.Core.State;

namespace OneHop.Core.Tests.State;

public sealed class KindRegistryTests
{
    [Fact]
    public void Every_kind_has_its_slot_its_manifest_identity_and_its_list_and_watch_calls()
    {
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" });
        foreach (var kind in KindRegistry.All)
        {
            Assert.Same(kind, KindRegistry.Find(kind.ApiVersion, kind.Name));
            if (kind != KindRegistry.ConfigMap)
            {
                Assert.Equal(kind.Name, kind.Accept(new ApiKind(client)));
            }
        }

        Assert.Equal(Enumerable.Range(0, KindRegistry.All.Length), KindRegistry.All.Select(k => k.Index));
    }

    [Fact]
    public void ConfigMaps_are_listed_one_by_one_by_name_never_all()
    {
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" });
        var api = KubernetesKinds.ConfigMap(client, new ObjectKey("ingress-nginx", "tcp-services"));

        Assert.Equal(KubeKinds.ConfigMap, api.Kind);
        Assert.Equal("tcp-services", api.Name);
        Assert.Throws<NotSupportedException>(() => KindRegistry.ConfigMap.Accept(new ApiKind(client)));
    }

    [Fact]
    public void Only_tls_secrets_and_htpasswd_files_are_kept()
    {
        Assert.Null(KindRegistry.Secret.Skips(new V1Secret { Type = "kubernetes.io/tls" }));
        Assert.Null(KindRegistry.Secret.Skips(new V1Secret { Type = "Opaque", Data = new Dictionary<string, byte[]> { ["auth"] = "a:{PLAIN}b"u8.ToArray() } }));
        Assert.Null(KindRegistry.Secret.Skips(new V1Secret { StringData = new Dictionary<string, string> { ["auth"] = "a:{PLAIN}b" } }));
        Assert.StartsWith("Secret (Opaque)", KindRegistry.Secret.Skips(new V1Secret()), StringComparison.Ordinal);
        Assert.StartsWith("Secret (Opaque)", KindRegistry.Secret.Skips(new V1Secret { Data = new Dictionary<string, byte[]> { ["password"] = "x"u8.ToArray() } }), StringComparison.Ordinal);
        Assert.Equal("type=kubernetes.io/tls", KindRegistry.Secret.FieldSelector);
    }

    [Fact]
    public void A_state_with_the_same_slots_is_equal_and_a_changed_slot_is_not()
    {
        var services = ClusterState.Empty.Services.Add(new ObjectKey("default", "web"), new V1Service { Metadata = new V1ObjectMeta { Name = "web" } });
        var a = ClusterState.Empty.With(KindRegistry.Service, services);
        var b = new ClusterState { Services = services };

        Assert.Equal(a, b);
        Assert.Equal(1, a.Count);
        Assert.NotEqual(a, a with { Services = services.Clear() });
        Assert.Same(services, KindRegistry.Service.Accept(new ServicesOf(b)));
    }

    private sealed class ApiKind(IKubernetes client) : IKindVisitor<string>
    {
        public string Visit<T>(KubeKind<T> kind)
            where T : class, IKubernetesObject<V1ObjectMeta> => KubernetesKinds.Api(client, kind).Kind;
    }

    private sealed class ServicesOf(ClusterState state) : IKindVisitor<object>
    {
        public object Visit<T>(KubeKind<T> kind)
            where T : class, IKubernetesObject<V1ObjectMeta> => state.Of(kind);
    }
}
