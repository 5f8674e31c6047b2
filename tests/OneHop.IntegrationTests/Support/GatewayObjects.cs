using k8s.Models;
using OneHop.Core.State.GatewayApi;

namespace OneHop.IntegrationTests.Support;

/// <summary>Gateway API objects for the API-source tests, as OneHop's models, with the paths' group and plurals.</summary>
internal static class GatewayObjects
{
    public const string Group = GatewayApiNames.Group;

    public static GatewayClass Class(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new GatewayClassSpec { ControllerName = GatewayApiNames.ControllerName },
    };

    public static Gateway Gateway(string name, string ns = "default") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new GatewaySpec { GatewayClassName = "onehop", Listeners = [new GatewayListener { Name = "http", Port = 80, Protocol = "HTTP" }] },
    };

    public static HttpRoute Route(string name, string host, string service, string ns = "default") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new HttpRouteSpec
        {
            ParentRefs = [new ParentReference { Name = "edge" }],
            Hostnames = [host],
            Rules = [new HttpRouteRule { BackendRefs = [new BackendReference { Name = service, Port = 80 }] }],
        },
    };

    public static GrpcRoute GrpcRoute(string name, string service, string ns = "default") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new GrpcRouteSpec
        {
            ParentRefs = [new ParentReference { Name = "edge" }],
            Rules = [new GrpcRouteRule { Matches = [new GrpcRouteMatch { Method = new GrpcMethodMatch { Service = "shop.Cart" } }], BackendRefs = [new BackendReference { Name = service, Port = 80 }] }],
        },
    };

    public static ReferenceGrant Grant(string name, string ns = "default") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new ReferenceGrantSpec
        {
            From = [new ReferenceGrantFrom { Group = Group, Kind = "HTTPRoute", Namespace = "shop" }],
            To = [new ReferenceGrantTo { Group = "", Kind = "Service" }],
        },
    };
}
