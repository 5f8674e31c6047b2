using OneHop.Core.Migration;
using OneHop.Core.Routing.Ingresses.Nginx;

namespace OneHop.Core.Tests.Migration;

public sealed class GatewayApiEquivalentsTests
{
    [Fact]
    public void Every_mapped_name_is_an_annotation_of_the_registry()
    {
        Assert.All(GatewayApiEquivalents.Mapped, name => Assert.True(NginxAnnotations.ByKey.ContainsKey(NginxAnnotations.Prefix + name), name));
    }

    [Fact]
    public void Every_annotation_that_does_not_map_is_noted_and_a_mapped_one_is_not()
    {
        foreach (var annotation in NginxAnnotations.All)
        {
            var note = GatewayApiEquivalents.NotMapped(new NginxFinding(annotation.FullName, "x", annotation, null));
            Assert.Equal(GatewayApiEquivalents.Mapped.Contains(annotation.Name), note is null);
        }

        Assert.Equal("not an ingress-nginx annotation OneHop knows", GatewayApiEquivalents.NotMapped(new NginxFinding(NginxAnnotations.Prefix + "made-up", "x", null, null)));
        Assert.Equal("bad value: no", GatewayApiEquivalents.NotMapped(new NginxFinding(NginxAnnotations.Prefix + "use-regex", "x", NginxAnnotations.ByKey[NginxAnnotations.Prefix + "use-regex"], "no")));
    }
}
