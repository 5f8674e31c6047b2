using OneHop.Core.Configuration;
using OneHop.Core.Routing;
using OneHop.Core.State;

namespace OneHop.Core.Tests.Routing.Ingresses.Nginx;

/// <summary>
/// Serving ingress-nginx's classes beside it: which Ingresses are served, and whose status OneHop may write (only when
/// it owns the class). Uses the class-selection golden manifests: classes onehop (default) and nginx (k8s.io/ingress-nginx).
/// </summary>
public sealed class IngressNginxAdoptionTests
{
    private static readonly ClusterState Cluster = GoldenCase.Load(Path.Combine(GoldenCase.Root, "class-selection", "manifests")).State;

    private static TranslationResult Translate(IngressSettings settings) =>
        Translator.Translate(TranslatorInput.Of(Cluster, OneHopConfig.Default with { Ingress = settings }));

    private static string[] Names(IEnumerable<ObjectRef> refs) => [.. refs.Select(r => r.Name).Order(StringComparer.Ordinal)];

    [Fact]
    public void Without_adoption_ingress_nginx_classes_are_ignored_with_a_hint()
    {
        var result = Translate(new IngressSettings());
        var ignored = result.Ignored.Single(i => i.Object.Name == "other-class");
        Assert.Contains("--adopt-ingress-nginx", ignored.Reason, StringComparison.Ordinal);
        Assert.Equal(["by-annotation", "by-class-name", "no-class"], Names(result.Served));
    }

    [Fact]
    public void Adopted_ingresses_are_served_but_their_status_is_not_ours()
    {
        var result = Translate(new IngressSettings { AdoptIngressNginx = true });
        Assert.DoesNotContain(result.Ignored, i => i.Object.Name is "other-class" or "other-annotation");
        Assert.Contains(result.Snapshot.Routes, r => r.Host == "other-class.example.com");
        Assert.Contains(result.Snapshot.Routes, r => r.Host == "other-annotation.example.com");
        Assert.Equal(["by-annotation", "by-class-name", "no-class"], Names(result.Served));
    }

    [Fact]
    public void Owning_ingress_nginx_writes_the_adopted_ingresses_status()
    {
        var result = Translate(new IngressSettings { AdoptIngressNginx = true, OwnsIngressNginx = true });
        Assert.Equal(["by-annotation", "by-class-name", "no-class", "other-annotation", "other-class"], Names(result.Served));
    }

    [Fact]
    public void Naming_the_nginx_class_serves_it_alone()
    {
        var result = Translate(new IngressSettings("nginx", OnlyThisClass: true));
        Assert.Contains(result.Snapshot.Routes, r => r.Host == "other-class.example.com");
        Assert.Contains(result.Snapshot.Routes, r => r.Host == "other-annotation.example.com");
        Assert.DoesNotContain(result.Snapshot.Routes, r => r.Host == "by-class-name.example.com");
        Assert.Empty(result.Served);
        var owned = Translate(new IngressSettings("nginx", OnlyThisClass: true) { OwnsIngressNginx = true });
        Assert.Equal(["other-annotation", "other-class"], Names(owned.Served));
    }
}
