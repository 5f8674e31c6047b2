namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>
/// A <c>canary: "true"</c> Ingress: its Service takes part of the traffic of the main Ingress with the same host and
/// path. ingress-nginx decides by header first, then cookie, then weight.
/// </summary>
/// <param name="Weight">The canary's share out of <paramref name="WeightTotal"/> (<c>canary-weight</c>).</param>
/// <param name="WeightTotal"><c>canary-weight-total</c>, 100 by default.</param>
/// <param name="Header"><c>canary-by-header</c>: its value "always" sends to the canary, "never" to the main Service.</param>
/// <param name="HeaderValue"><c>canary-by-header-value</c>: this exact value of <paramref name="Header"/> sends to the canary instead of "always".</param>
/// <param name="HeaderPattern"><c>canary-by-header-pattern</c>: a regular expression on <paramref name="Header"/>, used when no value is set.</param>
/// <param name="Cookie"><c>canary-by-cookie</c>: the cookie whose value "always" or "never" decides.</param>
internal sealed record NginxCanary(int Weight, int WeightTotal, string? Header, string? HeaderValue, string? HeaderPattern, string? Cookie)
{
    /// <summary>
    /// <c>affinity-canary-behavior: sticky</c> (the default): with the main Service's cookie affinity, the canary takes
    /// the same affinity, so a session it served stays with it; <c>legacy</c> leaves the canary without.
    /// </summary>
    public bool StickyAffinity { get; init; } = true;
}
