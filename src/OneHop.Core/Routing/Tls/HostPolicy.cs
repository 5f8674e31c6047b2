using System.Text.Json.Serialization;

namespace OneHop.Core.Routing.Tls;

/// <summary>
/// Edge behaviour of one host served over TLS (by OneHop, or in front of it for force-ssl-redirect): redirect plain
/// HTTP to HTTPS, send HSTS, require a client certificate signed by a CA.
/// </summary>
/// <param name="Host">Exact or <c>*.domain</c>.</param>
/// <param name="SslRedirect">Answer plain-HTTP requests with 308 to https:// (default for TLS hosts, as ingress-nginx does).</param>
/// <param name="Hsts">The Strict-Transport-Security value sent on HTTPS responses, or null.</param>
/// <param name="ClientCaId">Where the client CA came from, when client certificates are required.</param>
/// <param name="ClientCaPem">The CA bundle client certificates must chain to.</param>
internal sealed record HostPolicy(
    string Host,
    bool SslRedirect,
    string? Hsts = null,
    string? ClientCaId = null,
    [property: JsonIgnore] string? ClientCaPem = null)
{
    /// <summary>
    /// The port of the redirect's Location (<c>onehop.dev/ssl-redirect-port</c>); null for <c>tls.redirectPort</c>,
    /// else 443.
    /// </summary>
    public int? RedirectPort { get; init; }

    /// <summary>
    /// Redirect even without an HTTPS listener of OneHop's or a <c>spec.tls</c> entry
    /// (<c>onehop.dev/force-ssl-redirect</c>): TLS is terminated in front.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool ForceSslRedirect { get; init; }

    /// <summary>
    /// A regular expression the client certificate's subject (RFC 2253) must contain, else 403 (ingress-nginx's
    /// <c>auth-tls-match-cn</c>); null for any.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ClientSubjectPattern { get; init; }

    /// <summary>
    /// The most intermediates allowed between a client certificate and its CA (ingress-nginx's
    /// <c>auth-tls-verify-depth</c>, as OpenSSL counts it); null for any.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ClientCaDepth { get; init; }

    /// <summary>
    /// ingress-nginx's <c>auth-tls-verify-client</c>, decided at the request as nginx does: <c>on</c> answers 400 to a
    /// client without a good certificate; <c>optional</c> lets one without any through; <c>optional_no_ca</c> also one of
    /// an unknown CA, its failure told to the pod. Null (OneHop's own client CA) requires one at the handshake.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ClientVerify { get; init; }

    /// <summary>Where a request without an acceptable client certificate is redirected (<c>auth-tls-error-page</c>); null for none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ClientErrorPage { get; init; }

    /// <summary>
    /// The handshake lets every client in and the request decides: the pod or the error page must see the clients a
    /// required certificate would have refused.
    /// </summary>
    [JsonIgnore]
    public bool ClientCheckedAtRequest => ClientVerify is not null || ClientErrorPage is not null;
}
