namespace OneHop.Core.Routing;

/// <summary>
/// How fast a route's answers are sent to the client, per request (ingress-nginx's <c>limit-rate</c> and
/// <c>limit-rate-after</c>, nginx's <c>limit_rate</c> and <c>limit_rate_after</c>): the body goes at most at
/// <see cref="BytesPerSecond"/> once <see cref="FreeBytes"/> have gone, a client with two requests getting twice it.
/// </summary>
/// <param name="BytesPerSecond">The pace, more than 0.</param>
/// <param name="FreeBytes">The first bytes of each answer, sent as fast as the client takes them.</param>
internal sealed record RouteResponseRate(long BytesPerSecond, long FreeBytes);
