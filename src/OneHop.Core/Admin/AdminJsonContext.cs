using System.Text.Json.Serialization;
using OneHop.Core.Routing;

namespace OneHop.Core.Admin;

/// <summary>Source-generated JSON for everything the admin API (and <c>validate --output json</c>) writes.</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    Converters = [typeof(Configuration.DurationJsonConverter)])]
[JsonSerializable(typeof(RoutesDocument))]
[JsonSerializable(typeof(StatusDocument))]
[JsonSerializable(typeof(RoutingSnapshot))]
[JsonSerializable(typeof(TranslationDocument))]
[JsonSerializable(typeof(CertificatesDocument))]
[JsonSerializable(typeof(TopologyDocument))]
[JsonSerializable(typeof(Routing.Ingresses.Nginx.NginxMigrationReport))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
