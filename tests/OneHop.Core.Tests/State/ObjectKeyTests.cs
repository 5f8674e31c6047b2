using OneHop.Core.State;

namespace OneHop.Core.Tests.State;

/// <summary><c>NAMESPACE/NAME</c> references as annotations and ConfigMaps write them: both parts Kubernetes names, nothing else.</summary>
public sealed class ObjectKeyTests
{
    [Theory]
    [InlineData("ingress-nginx/custom-headers", "ingress-nginx", "custom-headers")]
    [InlineData("default/web.v2", "default", "web.v2")]
    public void A_namespaced_name_is_read(string value, string ns, string name) =>
        Assert.Equal(new ObjectKey(ns, name), ObjectKey.ParseNamespaced(value));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("custom-headers")]
    [InlineData("a/b/c")]
    [InlineData("/custom-headers")]
    [InlineData("ingress-nginx/")]
    [InlineData("Ingress-Nginx/headers")]
    [InlineData("ingress nginx/headers")]
    [InlineData(" ingress-nginx/headers")]
    public void Anything_else_is_not(string? value) => Assert.Null(ObjectKey.ParseNamespaced(value));

    [Fact]
    public void A_cluster_scoped_key_prints_its_name_alone() =>
        Assert.Equal(("onehop", "default/web"), (new ObjectKey(string.Empty, "onehop").ToString(), new ObjectKey("default", "web").ToString()));
}
