using k8s.Models;
using OneHop.Core.Sources.Kubernetes;

namespace OneHop.Core.Tests.Sources.Kubernetes;

/// <summary>
/// The header ConfigMaps that Ingresses and the controller map name: the set grows and shrinks with them, a new name
/// makes the informers list again, and two informers refreshing at once never lose each other's names.
/// </summary>
public sealed class ReferencedConfigMapsTests
{
    [Fact]
    public void Names_come_from_custom_headers_auth_proxy_set_headers_add_headers_and_proxy_set_headers()
    {
        var referenced = new ReferencedConfigMaps();
        var relists = 0;
        referenced.OnGrown(() => relists++);
        var auth = Ingress("default/shop");
        auth.Metadata.Annotations = new Dictionary<string, string> { ["nginx.ingress.kubernetes.io/auth-proxy-set-headers"] = "default/auth-headers" };

        Assert.True(referenced.Refresh(() => [Ingress("default/shop"), auth], () => [Controller(("add-headers", "ingress-nginx/add"), ("proxy-set-headers", " ingress-nginx/set "))]));

        Assert.True(referenced.Contains(Map("default", "shop")));
        Assert.True(referenced.Contains(Map("default", "auth-headers")));
        Assert.True(referenced.Contains(Map("ingress-nginx", "add")));
        Assert.True(referenced.Contains(Map("ingress-nginx", "set")));
        Assert.False(referenced.Contains(Map("default", "other")));
        Assert.Equal(1, relists);
    }

    [Fact]
    public void Only_a_new_name_lists_again_and_a_dropped_name_is_no_longer_kept()
    {
        var referenced = new ReferencedConfigMaps();
        var relists = 0;
        referenced.OnGrown(() => relists++);
        referenced.Refresh(() => [Ingress("default/a"), Ingress("default/b")], () => []);

        Assert.False(referenced.Refresh(() => [Ingress("default/b"), Ingress("default/a")], () => []));
        Assert.True(referenced.Refresh(() => [Ingress("default/a")], () => []));
        Assert.Equal(1, relists);
        Assert.False(referenced.Contains(Map("default", "b")));

        Assert.True(referenced.Refresh(() => [Ingress("default/a"), Ingress("default/c")], () => []));
        Assert.Equal(2, relists);
    }

    [Fact]
    public void An_unparsable_name_is_ignored()
    {
        var referenced = new ReferencedConfigMaps();

        Assert.False(referenced.Refresh(() => [Ingress("no-namespace"), Ingress("")], () => [Controller(("add-headers", "a/b/c"))]));
    }

    [Fact]
    public async Task A_refresh_that_read_older_stores_never_overwrites_a_newer_one()
    {
        // The Ingress informer reads the stores, then stalls; meanwhile the controller map arrives and its informer
        // refreshes. Reading outside the lock, the stalled refresh would then write a set without the controller's name.
        var referenced = new ReferencedConfigMaps();
        var ingresses = new[] { Ingress("default/shop") };
        V1ConfigMap[] controller = [];
        using var stalled = new ManualResetEventSlim();
        using var otherDone = new ManualResetEventSlim();
        var first = true;

        var slow = Task.Run(() => referenced.Refresh(
            () => ingresses,
            () =>
            {
                var seen = controller;
                if (first)
                {
                    first = false;
                    stalled.Set();
                    otherDone.Wait(TimeSpan.FromMilliseconds(300)); // the other refresh ends meanwhile, unless the lock holds it
                }

                return seen;
            }),
            TestContext.Current.CancellationToken);
        stalled.Wait(TestContext.Current.CancellationToken);
        controller = [Controller(("add-headers", "ingress-nginx/add"))];
        var fast = Task.Run(
            () =>
            {
                referenced.Refresh(() => ingresses, () => controller);
                otherDone.Set();
            },
            TestContext.Current.CancellationToken);
        await Task.WhenAll(slow, fast).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.True(referenced.Contains(Map("default", "shop")));
        Assert.True(referenced.Contains(Map("ingress-nginx", "add")));
    }

    private static V1Ingress Ingress(string customHeaders) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "shop",
            NamespaceProperty = "default",
            Annotations = new Dictionary<string, string> { ["nginx.ingress.kubernetes.io/custom-headers"] = customHeaders },
        },
    };

    private static V1ConfigMap Controller(params (string Key, string Value)[] data) => new()
    {
        Metadata = new V1ObjectMeta { Name = "ingress-nginx-controller", NamespaceProperty = "ingress-nginx" },
        Data = data.ToDictionary(d => d.Key, d => d.Value),
    };

    private static V1ConfigMap Map(string ns, string name) => new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns } };
}
