using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing;

public sealed class BackendProtocolsTests
{
    [Theory]
    [InlineData("http", "Http")]
    [InlineData("HTTPS", "Https")]
    [InlineData("h2c", "H2c")]
    [InlineData("grpc", "H2c")]
    [InlineData("h2", "H2")]
    [InlineData("grpcs", "H2")]
    public void The_annotation_names_every_protocol(string value, string expected) =>
        Assert.Equal(Enum.Parse<BackendProtocol>(expected), BackendProtocols.FromAnnotation(value));

    [Fact]
    public void An_unknown_value_is_reported_with_every_accepted_one_and_the_port_decides()
    {
        var yaml = Manifests.DefaultClass + Manifests.Service("web", "10.0.0.1").Replace(
            "  name: web\n",
            "  name: web\n  annotations: {onehop.dev/backend-protocol: http3}\n",
            StringComparison.Ordinal) + Manifests.Ingress("web", "a.example.com", "/", "web");

        var result = Translator.Translate(TranslatorInput.Of(Manifests.State(yaml)));

        var warning = Assert.Single(result.Diagnostics, d => d.Code == DiagnosticCodes.InvalidAnnotation);
        Assert.Equal("'http3' is not http, https, h2c, h2, grpc or grpcs; the port's appProtocol decides", warning.Message);
        Assert.Equal(BackendProtocol.Http, result.Snapshot.Backends.Single().Protocol);
    }
}
