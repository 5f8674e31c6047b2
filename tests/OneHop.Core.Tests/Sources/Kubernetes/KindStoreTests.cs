using k8s.Models;
using OneHop.Core.Sources.Kubernetes;
using OneHop.Core.State;

namespace OneHop.Core.Tests.Sources.Kubernetes;

/// <summary>The store two informers share: one leaving an object out of its scope never drops what the other holds.</summary>
public sealed class KindStoreTests
{
    private static readonly Func<V1ConfigMap, bool> HasCaBundle = m => m.Data?.ContainsKey(KubeKinds.CaBundleKey) == true;

    [Fact]
    public void A_map_watched_by_name_survives_the_ca_informer_seeing_it_without_ca_crt()
    {
        var store = new KindStore<V1ConfigMap>(KindRegistry.ConfigMap);
        var named = Map("ingress-nginx-controller", "2", new() { ["proxy-body-size"] = "1m" });
        Assert.True(store.Upsert(named)); // the by-name informer's MODIFIED

        Assert.False(store.Remove(named, HasCaBundle)); // the CA informer's MODIFIED of the same version: not its object
        Assert.Same(named, store.Items[new ObjectKey("ingress-nginx", "ingress-nginx-controller")]);
    }

    [Fact]
    public void A_ca_bundle_that_loses_ca_crt_leaves_the_store()
    {
        var store = new KindStore<V1ConfigMap>(KindRegistry.ConfigMap);
        store.Upsert(Map("backend-ca", "1", new() { [KubeKinds.CaBundleKey] = "PEM" }));

        Assert.True(store.Remove(Map("backend-ca", "2", new() { ["other"] = "x" }), HasCaBundle));
        Assert.Empty(store.Items);
    }

    private static V1ConfigMap Map(string name, string version, Dictionary<string, string> data) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ingress-nginx", ResourceVersion = version },
        Data = data,
    };
}
