using OneHop.Core.State;

namespace OneHop.Core.Sources.Manifests;

/// <summary>A document of a kind OneHop does not read (a Deployment, a ConfigMap, an Opaque Secret...).</summary>
internal sealed record SkippedDocument(string ApiVersion, string Kind, string? Name, ObjectOrigin Origin);
