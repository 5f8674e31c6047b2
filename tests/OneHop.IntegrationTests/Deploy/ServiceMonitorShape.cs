using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace OneHop.IntegrationTests.Deploy;

/// <summary>
/// The Prometheus Operator's ServiceMonitor (monitoring.coreos.com/v1), which KubernetesClient has no model for:
/// the fields of its CRD that deploy/ uses, read strictly (any other field is an error) so a typo cannot pass.
/// </summary>
internal sealed class ServiceMonitorShape
{
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public MetadataShape Metadata { get; set; } = new();

    public SpecShape Spec { get; set; } = new();

    public static ServiceMonitorShape Parse(string yaml) =>
        new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build().Deserialize<ServiceMonitorShape>(yaml);

    internal sealed class MetadataShape
    {
        public string Name { get; set; } = "";

        public string Namespace { get; set; } = "";

        public Dictionary<string, string> Labels { get; set; } = [];
    }

    internal sealed class SpecShape
    {
        public SelectorShape Selector { get; set; } = new();

        public NamespaceSelectorShape NamespaceSelector { get; set; } = new();

        public List<EndpointShape> Endpoints { get; set; } = [];
    }

    internal sealed class SelectorShape
    {
        public Dictionary<string, string> MatchLabels { get; set; } = [];
    }

    internal sealed class NamespaceSelectorShape
    {
        public List<string> MatchNames { get; set; } = [];
    }

    internal sealed class EndpointShape
    {
        public string Port { get; set; } = "";

        public string Path { get; set; } = "";

        public string Interval { get; set; } = "";
    }
}
