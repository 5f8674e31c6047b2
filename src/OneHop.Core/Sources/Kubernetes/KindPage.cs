namespace OneHop.Core.Sources.Kubernetes;

/// <summary>One page of a paged LIST.</summary>
internal sealed record KindPage<T>(IList<T> Items, string? Continue, string ResourceVersion);
