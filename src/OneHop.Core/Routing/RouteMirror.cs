namespace OneHop.Core.Routing;

/// <summary>
/// A copy of each request (or of <paramref name="Numerator"/> in <paramref name="Denominator"/>) sent to a pod of a
/// backend besides the one that answers, its response discarded (Gateway API's RequestMirror filter).
/// </summary>
/// <param name="BackendId">The mirror's <see cref="Backend.Id"/>.</param>
internal sealed record RouteMirror(string BackendId, int Numerator = 100, int Denominator = 100);
