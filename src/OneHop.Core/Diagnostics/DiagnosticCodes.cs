namespace OneHop.Core.Diagnostics;

/// <summary>Stable codes: tests, metrics and operators' alerts key on them, so they never change meaning.</summary>
internal static class DiagnosticCodes
{
    // Sources
    public const string ParseError = "ParseError";
    public const string InvalidObject = "InvalidObject";
    public const string UnsupportedKind = "UnsupportedKind";
    public const string DuplicateObject = "DuplicateObject";
    public const string FileUnreadable = "FileUnreadable";
    public const string ConfigError = "ConfigError";
    public const string Forbidden = "Forbidden";
    public const string ApiUnavailable = "ApiUnavailable";
    public const string KindNotInstalled = "KindNotInstalled";
    public const string SourceCrashed = "SourceCrashed";
    public const string TooLarge = "TooLarge";

    // Ingress
    public const string IngressIgnored = "IngressIgnored";
    public const string InvalidHost = "InvalidHost";
    public const string InvalidPath = "InvalidPath";
    public const string InvalidPathType = "InvalidPathType";
    public const string InvalidBackend = "InvalidBackend";
    public const string UnknownService = "UnknownService";
    public const string UnknownServicePort = "UnknownServicePort";
    public const string RouteConflict = "RouteConflict";

    // Gateway API
    public const string InvalidGatewayListener = "InvalidGatewayListener";
    public const string InvalidRoute = "InvalidRoute";
    public const string RouteNotAccepted = "RouteNotAccepted";
    public const string UnresolvedBackend = "UnresolvedBackend";
    public const string InvalidBackendTlsPolicy = "InvalidBackendTlsPolicy";
    public const string UnsupportedFeature = "UnsupportedFeature";
    public const string DefaultBackendConflict = "DefaultBackendConflict";
    public const string LastGoodKept = "LastGoodKept";
    public const string FileEmptied = "FileEmptied";
    public const string InvalidAnnotation = "InvalidAnnotation";
    public const string UnsupportedAnnotation = "UnsupportedAnnotation";
    public const string UnknownAnnotation = "UnknownAnnotation";
    public const string UnsupportedConfigMapKey = "UnsupportedConfigMapKey";
    public const string UnknownConfigMapKey = "UnknownConfigMapKey";
    public const string PolicyConflict = "PolicyConflict";

    // L4 (tcp, udp and tls-passthrough listeners, tcp/udp-services ConfigMaps, ssl-passthrough)
    public const string UnknownConfigMap = "UnknownConfigMap";
    public const string InvalidConfigMapEntry = "InvalidConfigMapEntry";
    public const string PortConflict = "PortConflict";
    public const string L4PolicyAdjusted = "L4PolicyAdjusted";

    // TLS
    public const string UnknownSecret = "UnknownSecret";
    public const string InvalidSecret = "InvalidSecret";
    public const string TlsConflict = "TlsConflict";
    public const string CertificateMismatch = "CertificateMismatch";

    // IngressClass
    public const string DefaultClassConflict = "DefaultClassConflict";

    // Endpoints
    public const string SliceWithoutService = "SliceWithoutService";
    public const string UnsupportedAddressType = "UnsupportedAddressType";
    public const string InvalidEndpointAddress = "InvalidEndpointAddress";
    public const string InvalidEndpointPort = "InvalidEndpointPort";
    public const string InvalidServicePort = "InvalidServicePort";
    public const string NoEndpoints = "NoEndpoints";

    // OneHop itself
    public const string InternalError = "InternalError";
}
