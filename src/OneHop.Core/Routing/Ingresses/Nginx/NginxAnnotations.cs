using System.Collections.Frozen;
using static OneHop.Core.Routing.Ingresses.Nginx.NginxSupport;

namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>
/// The registry of ingress-nginx annotations: every one OneHop knows, honoured, honoured with a named difference, or
/// not supported and why. docs/ingress-nginx.md is its table; a test checks the two agree.
/// </summary>
internal static partial class NginxAnnotations
{
    public const string Prefix = "nginx.ingress.kubernetes.io/";

    private const string NotYet = "not implemented in OneHop yet";

    public static readonly IReadOnlyList<NginxAnnotation> All =
    [
        // Paths.
        new("use-regex", Difference, "the Ingress's paths are case-insensitive regular expressions anchored at the start, and then every path of the same host is too, longest first (as ingress-nginx does); .NET's non-backtracking engine refuses lookarounds and backreferences", (v, s) => Flag(v, b => s.UseRegex = b)),
        new("rewrite-target", Honoured, "the path the pod gets, with $1, $2... from the path's capture groups; implies use-regex; the query string is kept", (v, s) => RewriteTarget(v, s)),
        new("app-root", Honoured, "a request for / is answered 302 to this path", (v, s) => Path(v, p => s.AppRoot = p)),
        new("x-forwarded-prefix", Honoured, "sent to the pod as X-Forwarded-Prefix", (v, s) => Header(v, p => s.XForwardedPrefix = p)),
        new("upstream-vhost", Honoured, "the Host header the pod gets (X-Forwarded-Host keeps the client's)", (v, s) => Host(v, h => s.UpstreamVhost = h)),

        // Redirects.
        new("ssl-redirect", Honoured, "308 to https:// for the hosts of spec.tls (default true, as in ingress-nginx); /.well-known/acme-challenge/ is never redirected", (v, s) => Flag(v, b => s.SslRedirect = b)),
        new("force-ssl-redirect", Honoured, "308 to https:// for every rule host, also without spec.tls (TLS terminated in front)", (v, s) => Flag(v, b => s.ForceSslRedirect = b)),
        new("permanent-redirect", Honoured, "every request of the Ingress is answered 301 (or permanent-redirect-code) with exactly this Location", (v, s) => Url(v, u => s.PermanentRedirect = u)),
        new("permanent-redirect-code", Honoured, "300 to 308", (v, s) => Code(v, c => s.PermanentRedirectCode = c)),
        new("temporal-redirect", Honoured, "every request of the Ingress is answered 302 (or temporal-redirect-code) with exactly this Location; permanent-redirect wins when both are set", (v, s) => Url(v, u => s.TemporalRedirect = u)),
        new("temporal-redirect-code", Honoured, "300 to 308", (v, s) => Code(v, c => s.TemporalRedirectCode = c)),
        new("from-to-www-redirect", Honoured, "requests for www.HOST are answered 308 to HOST, or the other way round, when no rule serves that other host", (v, s) => Flag(v, b => s.FromToWwwRedirect = b)),

        // Backends.
        new("backend-protocol", Difference, "HTTP, HTTPS, GRPC, GRPCS and H2C; AJP, FCGI and AUTO_HTTP are refused; pods' certificates are not verified (ingress-nginx's default too)", (v, s) => Protocol(v, s)),
        new("load-balance", Honoured, "round_robin, and ewma (OneHop's peak-ewma)", (v, s) => LoadBalance(v, s)),
        new("upstream-hash-by", Difference, "consistent hashing by Maglev instead of nginx's ketama ring, on $remote_addr, $binary_remote_addr, $request_uri, $uri, $http_NAME or $cookie_NAME alone", (v, s) => HashBy(v, s)),
        new("affinity", Difference, "cookie: OneHop's signed endpoint cookie, its attributes from session-cookie-* (without them a session cookie for path /, HttpOnly, SameSite=Lax)", (v, s) => Affinity(v, s)),
        new("session-cookie-name", Honoured, "the affinity cookie's name", (v, s) => CookieName(v, s)),
        new("session-cookie-path", Difference, "the affinity cookie's Path (default /, where ingress-nginx's is the Ingress's path)", (v, s) => Path(v, p => s.Policy("affinity-cookie-path", p))),
        new("session-cookie-max-age", Honoured, "the affinity cookie's Max-Age, in seconds", (v, s) => CookieSeconds(v, "affinity-cookie-max-age", s)),
        new("session-cookie-expires", Honoured, "the affinity cookie's Expires, this many seconds after the response", (v, s) => CookieSeconds(v, "affinity-cookie-expires", s)),
        new("session-cookie-samesite", Difference, "None, Lax or Strict: the affinity cookie's SameSite (without it OneHop sends Lax, where nginx sends none)", (v, s) => SameSite(v, s)),
        new("session-cookie-secure", Honoured, "true marks the affinity cookie Secure, false never; without it, Secure over HTTPS only", (v, s) => Flag(v, b => s.Policy("affinity-cookie-secure", b ? "true" : "false"))),
        new("session-cookie-domain", Honoured, "the affinity cookie's Domain", (v, s) => CookieDomain(v, s)),
        new("session-cookie-conditional-samesite-none", Difference, "accepted: SameSite=None is sent to every browser, where nginx leaves it out for the few old ones that mishandle it", (v, _) => NginxValues.Bool(v) is null ? NginxValues.NotBool(v) : null),
        new("session-cookie-change-on-failure", Difference, "accepted: when the cookie's pod fails, OneHop retries another (idempotent requests) and the cookie moves to the pod that answered, as with true; a pod gone or not ready is never kept", (v, _) => NginxValues.Bool(v) is null ? NginxValues.NotBool(v) : null),
        new("affinity-mode", Difference, "balanced and persistent both pin a client to its endpoint while it is ready", (v, _) => v is "balanced" or "persistent" ? null : $"'{v}' is not balanced or persistent"),
        new("proxy-next-upstream-tries", Difference, "tries per request, the first included (0 = OneHop's most, 10); OneHop retries idempotent requests without a body only, within its retry budget", (v, s) => Tries(v, s)),
        new("proxy-next-upstream", Difference, "off turns retries off; the other conditions are replaced by OneHop's own (connect errors, resets, 502/503/504 before a response started)", (v, s) => NextUpstream(v, s)),
        new("proxy-buffering", Difference, "accepted: OneHop always streams responses", (v, _) => v is "on" or "off" ? null : $"'{v}' is not on or off"),
        new("proxy-request-buffering", Difference, "accepted: OneHop always streams request bodies", (v, _) => v is "on" or "off" ? null : $"'{v}' is not on or off"),
        new("proxy-buffer-size", Difference, "accepted: nginx's buffer sizes have no meaning in OneHop, which streams", (v, _) => Size(v)),
        new("proxy-buffers-number", Difference, "accepted: nginx's buffer sizes have no meaning in OneHop, which streams", (v, _) => NginxValues.Int(v, 1, 1024) is null ? $"'{v}' is not a number of buffers" : null),
        new("proxy-busy-buffers-size", Difference, "accepted: nginx's buffer sizes have no meaning in OneHop, which streams", (v, _) => Size(v)),
        new("proxy-max-temp-file-size", Difference, "accepted: OneHop never buffers responses to disk", (v, _) => Size(v)),
        new("client-body-buffer-size", Difference, "accepted: OneHop streams request bodies", (v, _) => Size(v)),
        new("proxy-http-version", Difference, "accepted: OneHop speaks HTTP/1.1 to pods unless backend-protocol says HTTP/2", (v, _) => v is "1.0" or "1.1" ? null : $"'{v}' is not 1.0 or 1.1"),
        new("enable-access-log", Difference, "accepted: OneHop's access log is on or off for the whole proxy", (v, _) => NginxValues.Bool(v) is null ? NginxValues.NotBool(v) : null),
        new("enable-rewrite-log", Difference, "accepted: rewrites are visible in /api/routes instead", (v, _) => NginxValues.Bool(v) is null ? NginxValues.NotBool(v) : null),
        new("proxy-ssl-secret", Difference, "namespace/name of a Secret in the Ingress's namespace (Opaque or kubernetes.io/tls): ca.crt verifies the pods when proxy-ssl-verify is on, tls.crt and tls.key are the client certificate OneHop presents; used only with backend-protocol HTTPS or GRPCS, as in ingress-nginx, where it replaces a BackendTLSPolicy of the Service for this Ingress; a missing or unusable Secret makes every connection fail (502) where ingress-nginx answers 503, never unverified", (v, s) => ProxySslSecret(v, s)),
        new("proxy-ssl-verify", Difference, "on verifies the pod's certificate chain against the Secret's ca.crt only, and its name; off (the default) accepts any certificate; on with a Secret without ca.crt fails every connection, where nginx silently skips the check", (v, s) => OnOff(v, b => s.ProxySslVerify = b)),
        new("proxy-ssl-name", Difference, "the name the pod's certificate must carry, sent as SNI with proxy-ssl-server-name on; without it the pod's IP address is checked against the certificate's IP entries, where nginx checks its upstream's name ($proxy_host)", (v, s) => ProxySslName(v, s)),
        new("proxy-ssl-server-name", Difference, "on sends proxy-ssl-name as SNI, off (the default) sends none, to HTTP/1.1 pods; HTTP/2 and gRPC pods (GRPCS, carried by .NET's HTTP client) always get the request's Host as SNI", (v, s) => OnOff(v, b => s.ProxySslServerName = b)),
        new("proxy-ssl-verify-depth", Honoured, "the most intermediate certificates between the pod's certificate and a CA of ca.crt, as OpenSSL counts (X509_VERIFY_PARAM_set_depth): 1 (the default) allows one, 0 only a certificate the CA signed directly", (v, s) => VerifyDepth(v, s)),
        new("proxy-ssl-protocols", Honoured, "TLSv1.2 and TLSv1.3, space-separated: the versions offered to the pods (default TLSv1.2, as ingress-nginx's)", (v, s) => SslProtocols(v, s)),
        new("proxy-ssl-ciphers", Difference, "accepted when it is an OpenSSL cipher list, not applied: .NET takes IANA suite names, not OpenSSL's cipher-string language (HIGH:!aNULL), so the system's OpenSSL defaults apply", (v, _) => NginxValues.CipherList().IsMatch(v) ? null : $"'{v}' is not an OpenSSL cipher list such as HIGH:!aNULL:!MD5"),
        new("proxy-next-upstream-timeout", Unsupported, "OneHop bounds all tries of a request with onehop.dev/timeout instead"),
        new("proxy-cookie-domain", Difference, CookieDomainNote, ProxyCookieDomain),
        new("proxy-cookie-path", Difference, CookiePathNote, ProxyCookiePath),
        new("proxy-redirect-from", Difference, RedirectNote, ProxyRedirectFrom),
        new("proxy-redirect-to", Difference, RedirectNote, ProxyRedirectTo),
        new("connection-proxy-header", Unsupported, "OneHop manages the Connection header to pods itself"),
        new("preserve-trailing-slash", Unsupported, "ssl-redirect keeps the path as sent; the option has nothing to change"),
        new("server-alias", Honoured, "a comma-separated list of more host names for the Ingress's hosts, served with the same paths, certificate and TLS settings (*.example.com wildcards too, nginx's ~regex names refused); as ingress-nginx, an alias that is the host of any Ingress rule is dropped with a warning, and the oldest Ingress that names aliases for a host sets them", (v, s) => ServerAlias(v, s)),
        new("mirror-target", Difference, "a copy of each request of the Ingress goes to this URL, fire and forget: its answer is dropped and the request never waits for it (nginx holds the request until the mirror answers); a Service's cluster DNS name (svc.ns.svc or svc.ns.svc.cluster.local) sends to its ready pods, over what its port speaks whatever the URL's scheme, any other host is a plain upstream whose certificate is not verified (as nginx does not); the host is written out, the path and query may hold $request_uri, $uri, $scheme, $host, $http_host, $best_http_host, $pass_access_scheme and $escaped_request_uri, no other variable; a URL that ends at its host sends the request's own path and query where nginx sends its internal /_mirror-UID location; requests with a body are mirrored only with mirror-request-body: off, without their body", (v, s) => MirrorTarget(v, s)),
        new("mirror-host", Honoured, "the Host header of the copies (without it, the host of mirror-target)", (v, s) => Host(v, h => s.MirrorHost = h)),
        new("mirror-request-body", Difference, "on (the default): requests with a body are not mirrored at all, since OneHop streams the body to the pod and never buffers it for a copy; off: they are mirrored without their body, as nginx does", (v, s) => OnOff(v, b => s.MirrorRequestBody = b)),
        new("http2-push-preload", Unsupported, "HTTP/2 server push is gone from browsers and from OneHop"),
        new("enable-opentelemetry", Unsupported, $"per-Ingress tracing: {NotYet}"),
        new("opentelemetry-trust-incoming-span", Unsupported, $"per-Ingress tracing: {NotYet}"),
        new("affinity-canary-behavior", Unsupported, $"canary Ingresses: {NotYet}"),
        new("ssl-passthrough", Honoured, "the hosts' TLS connections go to the pods untouched, by SNI (see l4.md)"),
        new("service-upstream", Unsupported, "refused: it sends traffic to the Service's ClusterIP, the second hop OneHop exists to remove; OneHop keeps routing to the pods"),
        new("proxy-connect-timeout", Difference, "seconds a connection to a pod may take (default the config file's defaults.connectTimeout, 5 s as in ingress-nginx); past it the next pod is tried, for any request as nginx's proxy_next_upstream timeout; when none accepts OneHop answers 503 (connect-timeout) where nginx answers 504", (v, s) => Seconds(v, t => s.ProxyConnectTimeout = t)),
        new("proxy-read-timeout", Honoured, "seconds the pod may stay silent between two reads, the wait for the response head included: 504 when nothing was answered yet, the connection cut after (default the config file's defaults.requestTimeout, 100 s, where ingress-nginx's is 60 s)", (v, s) => Seconds(v, t => s.ProxyReadTimeout = t)),
        new("proxy-send-timeout", Difference, "seconds a write of the request body to the pod may wait, then 504 (default the read timeout); HTTP/2 and gRPC pods, carried by YARP, have one activity timeout for both directions: the read timeout", (v, s) => Seconds(v, t => s.ProxySendTimeout = t)),
        new("proxy-body-size", Difference, "the largest request body (nginx sizes: 8k, 1m, 2g; 0 for no limit), above the config file's limits.maxRequestBodySize too: a larger Content-Length is answered 413 at once, a larger chunked body 413 as it arrives; without it limits.maxRequestBodySize applies (100m by default) where ingress-nginx's default is 1m", (v, s) => BodySize(v, s)),

        // Traffic splitting.
        new("canary", Honoured, "the Ingress's Service becomes a canary of the main Ingress with the same host and path (its other annotations are not used); without a main Ingress it is reported and not routed", (v, s) => Flag(v, b => s.Canary = b)),
        new("canary-weight", Honoured, "the canary's share of the requests not decided by header or cookie, out of canary-weight-total", (v, s) => Weight(v, 0, w => s.CanaryWeight = w)),
        new("canary-weight-total", Honoured, "the whole of canary-weight (default 100)", (v, s) => Weight(v, 1, w => s.CanaryWeightTotal = w)),
        new("canary-by-header", Honoured, "a request with this header set to always goes to the canary, never to the main Service; any other value falls through to cookie and weight", (v, s) => Header(v, h => s.CanaryHeader = h, name: true)),
        new("canary-by-header-value", Honoured, "this value of canary-by-header sends to the canary instead of always", (v, s) => Header(v, h => s.CanaryHeaderValue = h)),
        new("canary-by-header-pattern", Difference, "a regular expression that must match the whole header value (nginx's PCRE is unanchored); .NET's non-backtracking engine refuses lookarounds and backreferences; canary-by-header-value wins when both are set", (v, s) => HeaderPattern(v, s)),
        new("canary-by-cookie", Honoured, "this cookie set to always sends to the canary, never to the main Service; canary-by-header is checked first", (v, s) => CookieName(v, c => s.CanaryCookie = c)),

        // Access control.
        new("whitelist-source-range", Honoured, "the older name of allowlist-source-range, read when that one is absent", (v, s) => SourceRanges(v, l => s.Whitelist = l)),
        new("allowlist-source-range", Honoured, "a comma-separated list of addresses and CIDR networks: any other client address is answered 403 (the address of the connection, after a PROXY protocol header); redirects and CORS preflights are answered first, as in nginx", (v, s) => SourceRanges(v, l => s.Allowlist = l)),
        new("denylist-source-range", Honoured, "a comma-separated list of addresses and CIDR networks answered 403, checked before the allow list", (v, s) => SourceRanges(v, l => s.Denylist = l)),
        new("auth-type", Difference, "basic: a request without a user and password of auth-secret is answered 401 with WWW-Authenticate; digest is refused", (v, s) => AuthType(v, s)),
        new("auth-secret", Difference, "a Secret in the Ingress's namespace (name or namespace/name) with an htpasswd file under auth, watched; bcrypt, APR1/MD5-crypt, {SHA} and {PLAIN} hashes (DES and SHA-crypt lines are reported and skipped); a missing or unusable Secret makes the paths answer 503, as ingress-nginx denies them", (v, s) => AuthSecret(v, s)),
        new("auth-secret-type", Difference, "auth-file only: auth-map is refused, since OneHop holds only the Secrets with an htpasswd file under auth", (v, _) => v == "auth-file" ? null : v == "auth-map" ? "auth-map is not supported: put the users in an htpasswd file under the key auth (auth-file)" : $"'{v}' is not auth-file or auth-map"),
        new("auth-realm", Honoured, "the realm of WWW-Authenticate (empty by default)", (v, s) => Realm(v, s)),
        new("auth-url", Difference, "before forwarding, a subrequest without the body goes to this URL with the client's headers and X-Original-URL, X-Original-Method, X-Sent-From, X-Real-IP, X-Forwarded-For and X-Auth-Request-Redirect; a 2xx lets the request through, 401 and 403 are the client's answer, anything else (a timeout, an unreachable service) is answered 500, as nginx's auth_request does; a Service's cluster DNS name (svc.ns.svc or svc.ns.svc.cluster.local) goes straight to its ready pods; the variables $scheme, $host, $http_host, $best_http_host, $pass_access_scheme, $request_uri, $escaped_request_uri and $uri are filled in, no other; the service's certificate is not verified (ingress-nginx does not verify it either); Content-Type is not passed to the service, since the body is not", (v, s) => TemplateUrl(v, u => s.AuthUrl = u)),
        new("auth-method", Honoured, "the subrequest's method (GET without it); with it X-Original-URI and X-Scheme are sent too, as ingress-nginx does", (v, s) => AuthMethod(v, s)),
        new("auth-signin", Honoured, "a 401 from auth-url is answered 302 to this URL, with rd= (auth-signin-redirect-param) the original URL added unless the URL already has it; the same variables as auth-url", (v, s) => TemplateUrl(v, u => s.AuthSignin = u)),
        new("auth-signin-redirect-param", Honoured, "the query parameter of auth-signin that carries the original URL (default rd)", (v, s) => QueryName(v, s)),
        new("auth-response-headers", Honoured, "a comma-separated list of headers copied from auth-url's 2xx answer to the request to the pod; a client's own copy of them never reaches the pod", (v, s) => HeaderNames(v, s)),
        new("auth-request-redirect", Honoured, "X-Auth-Request-Redirect sent to auth-url (the request URI without it); the same variables as auth-url", (v, s) => Template(v, t => s.AuthRequestRedirect = t)),
        new("auth-always-set-cookie", Honoured, "auth-url's Set-Cookie is added to every response, not only to successes and redirects", (v, s) => Flag(v, b => s.AuthAlwaysSetCookie = b)),
        new("auth-tls-secret", Difference, "namespace/name of a Secret of the Ingress's namespace (Opaque or kubernetes.io/tls) with the CA bundle under ca.crt: the handshakes of the Ingress's TLS hosts ask for a client certificate, and one that does not chain to ca.crt (client-auth usage, no revocation check, through the intermediates the client sends or ca.crt holds, no more of them than auth-tls-verify-depth) fails the handshake where nginx completes it and answers 400; a request for such a host over a connection without a good certificate is answered 403; a missing or unusable Secret refuses every client; a Secret of another namespace is an error, as in ingress-nginx without allow-cross-namespace-resources; onehop.dev/client-ca-secret wins when both are set", (v, s) => AuthTlsSecret(v, s)),
        new("auth-tls-verify-client", Difference, "on (the default) requires a certificate of auth-tls-secret's CA: as with nginx the handshake is completed for every client and a request without one is answered 400 (No required SSL certificate was sent), one with a bad one 400 (The SSL certificate error), unless auth-tls-error-page redirects it; off asks for none and verifies nothing; optional completes the handshake, lets a client without a certificate through (ssl-client-verify: NONE) and answers 400 to one with a bad certificate, as nginx; optional_no_ca also lets through a certificate whose CA is unknown, the pod told why in ssl-client-verify (FAILED:unable to get local issuer certificate, or FAILED:self-signed certificate); OpenSSL's words for other failures may differ", (v, s) => VerifyClient(v, s)),
        new("auth-tls-verify-depth", Honoured, "the most intermediate certificates between the client certificate and a CA of ca.crt, as OpenSSL counts (X509_VERIFY_PARAM_set_depth): 1 (the default, and ingress-nginx's reading of 0) allows one, whether the client sends it or ca.crt holds it; a deeper chain is refused as one from another CA. Before this, OneHop accepted any depth: a chain with two or more intermediates now needs this annotation", (v, s) => AuthTlsVerifyDepth(v, s)),
        new("auth-tls-pass-certificate-to-upstream", Honoured, "true sends the verified client certificate to the pod in ssl-client-cert, URL-encoded PEM; with auth-tls-secret the pod gets ssl-client-verify (SUCCESS, or NONE without a verified certificate), ssl-client-subject-dn and ssl-client-issuer-dn (RFC 2253, as nginx's) whatever this says, and a client's own copies of these headers never reach it", (v, s) => Flag(v, b => s.AuthTlsPassCertificate = b)),
        new("auth-cache-key", Unsupported, $"caching auth-url's answers: {NotYet}; every request asks auth-url"),
        new("auth-cache-duration", Unsupported, $"caching auth-url's answers: {NotYet}; every request asks auth-url"),
        new("auth-keepalive", Difference, "accepted: OneHop always keeps its connections to auth-url open and pooled", (v, _) => NginxValues.Int(v, 0, 1_000_000) is null ? $"'{v}' is not a number of connections" : null),
        new("auth-keepalive-requests", Difference, "accepted: OneHop reuses a connection to auth-url for any number of requests", (v, _) => NginxValues.Int(v, 1, 1_000_000_000) is null ? $"'{v}' is not a number of requests" : null),
        new("auth-keepalive-share-vars", Unsupported, "OneHop's auth subrequest shares no nginx variables with the request; auth-response-headers passes what the pod needs"),
        new("auth-keepalive-timeout", Difference, "accepted: OneHop closes connections to auth-url idle for 60 s", (v, _) => NginxValues.Int(v, 1, 1_000_000) is null ? $"'{v}' is not a number of seconds" : null),
        new("auth-proxy-set-headers", Difference, "namespace/name of a ConfigMap of the Ingress's namespace whose data are headers set on auth-url's subrequest, after the ones OneHop sets itself (a name already sent is replaced; an empty value sends none); values may use the same variables as auth-url, no other; the ConfigMap is watched and an edit applies; a missing ConfigMap, another namespace's, a bad header name or an unknown variable is reported and the Ingress keeps its last good version, where ingress-nginx denies the location (503); without auth-url it does nothing, as in ingress-nginx", (v, s) => NginxValues.ConfigMapName(v, k => s.AuthProxySetHeaders = k)),
        new("enable-global-auth", Honoured, "false keeps the controller ConfigMap's global-auth-url off this Ingress (default true); an Ingress with its own auth-url never uses the global one", (v, s) => Flag(v, b => s.EnableGlobalAuth = b)),
        new("auth-tls-error-page", Difference, "an absolute http:// or https:// URL: the handshake of the Ingress's TLS hosts is completed for every client, and a request refused for its client certificate (none with verify-client on, a bad one) is answered 302 to the URL, as nginx's error_page 495 496; a path or an @location is refused as a bad value (nginx serves those internally; a redirect to the same host would ask for the certificate again)", (v, s) => AuthTlsErrorPage(v, s)),
        new("auth-tls-match-cn", Difference, "CN= and the rest of a regular expression, searched (unanchored and case-sensitive, as nginx's !~) in the client certificate's subject written as RFC 2253 (CN=client,O=Example); a request without a matching verified certificate is answered 403; plain HTTP is redirected to HTTPS first where nginx answers it 403; .NET's non-backtracking engine refuses lookarounds and backreferences", (v, s) => MatchCn(v, s)),
        new("satisfy", Difference, "any: a client address that an allowlist-source-range entry allows needs no authentication, and one it does not allow (or a denylist-source-range entry refuses) is let through by a passing auth-type basic or auth-url instead of a 403, as nginx's satisfy any; all (the default): both; without a source range or without authentication it changes nothing; a value other than any or all is an error, where ingress-nginx ignores it", (v, s) => Satisfy(v, s)),
        new("ssl-ciphers", Unsupported, "OneHop's TLS ciphers are set for the whole proxy (`tls.cipherSuites`: OpenSSL's default list or Mozilla's intermediate one)"),
        new("ssl-prefer-server-ciphers", Unsupported, "OneHop's TLS ciphers are set for the whole proxy"),
        new("limit-rps", Honoured, "requests a second from one client address, with a burst of limit-burst-multiplier times it; beyond, 503 (ingress-nginx's default limit-req-status-code); each replica counts on its own, as each ingress-nginx pod does; 0 is no limit", (v, s) => Weight(v, 0, n => s.LimitRps = n)),
        new("limit-rpm", Honoured, "requests a minute from one client address, with a burst of limit-burst-multiplier times it; beyond, 503; both apply when limit-rps is set too", (v, s) => Weight(v, 0, n => s.LimitRpm = n)),
        new("limit-connections", Honoured, "requests in progress at once from one client address (nginx's limit_conn counts those); beyond, 503", (v, s) => Weight(v, 0, n => s.LimitConnections = n)),
        new("limit-burst-multiplier", Honoured, "the burst of limit-rps and limit-rpm as a multiple of the rate (default 5), taken at once as nginx's burst with nodelay", (v, s) => Weight(v, 1, n => s.LimitBurstMultiplier = n)),
        new("limit-whitelist", Honoured, "the older name of limit-allowlist, read when that one is absent", (v, s) => SourceRanges(v, l => s.LimitWhitelist = l)),
        new("limit-allowlist", Honoured, "a comma-separated list of addresses and CIDR networks the limits never apply to", (v, s) => SourceRanges(v, l => s.LimitAllowlist = l)),

        // Responses.
        new("enable-cors", Honoured, "an allowed Origin gets Access-Control-Allow-Origin (its own value, or * when any origin is allowed without credentials), -Allow-Credentials and -Expose-Headers on every response; its preflight OPTIONS is answered 204 by OneHop with -Allow-Methods, -Allow-Headers and -Max-Age", (v, s) => Flag(v, b => s.EnableCors = b)),
        new("cors-allow-origin", Honoured, "a comma-separated list of origins, * (the default), or https://*.example.com for any subdomain", (v, s) => CorsOrigins(v, s)),
        new("cors-allow-methods", Honoured, "default GET, PUT, POST, DELETE, PATCH, OPTIONS", (v, s) => CorsList(v, l => s.CorsMethods = l)),
        new("cors-allow-headers", Honoured, "default DNT,Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,Range,Authorization", (v, s) => CorsList(v, l => s.CorsHeaders = l)),
        new("cors-expose-headers", Honoured, "Access-Control-Expose-Headers on responses (none by default)", (v, s) => CorsList(v, l => s.CorsExposeHeaders = l)),
        new("cors-allow-credentials", Honoured, "default true", (v, s) => Flag(v, b => s.CorsCredentials = b)),
        new("cors-max-age", Honoured, "seconds, default 1728000", (v, s) => Weight(v, 0, a => s.CorsMaxAge = a)),
        new("custom-http-errors", Difference, "a comma-separated list of statuses from 400 to 599: a pod's answer with one of them, or OneHop's own 502, 503 or 504 after forwarding, is replaced by the answer of default-backend (else of OneHop's default backend: the config's defaultUpstream or an Ingress's spec.defaultBackend) to a request for / with the client's method and headers, without the body, and X-Code, X-Format, X-Original-URI, X-Namespace, X-Ingress-Name, X-Service-Name, X-Service-Port and X-Request-ID; with neither the answers pass unchanged, where ingress-nginx's built-in default backend answers 404; OneHop's answers before forwarding (401, 403, 413, rate limits) are not replaced", (v, s) => HttpErrors(v, s)),
        new("default-backend", Honoured, "a Service of the Ingress's namespace, at its first port, that takes the Ingress's requests as they are, with X-Code 503 and the headers of custom-http-errors but X-Original-URI, while the rule's own Service has no ready endpoint, and the errors of custom-http-errors; while it has no ready endpoint either, OneHop answers 503", (v, s) => DefaultBackend(v, s)),
        new("custom-headers", Difference, "namespace/name of a ConfigMap of the Ingress's namespace whose data are response headers set on every answer of the Ingress (ingress-nginx's more_set_headers, values taken literally); each name must be in the controller ConfigMap's global-allowed-response-headers (exactly as written there, as ingress-nginx compares them), names and values as ingress-nginx accepts them; the ConfigMap is watched and an edit applies; a missing ConfigMap, another namespace's, or a bad or unallowed header is reported and the Ingress keeps its last good version, where ingress-nginx denies the location (503)", (v, s) => NginxValues.ConfigMapName(v, k => s.CustomHeaders = k)),
        new("configuration-snippet", Unsupported, "never executed: it is nginx configuration, and running users' configuration is how ingress-nginx's worst vulnerabilities came in"),
        new("server-snippet", Unsupported, "never executed: it is nginx configuration"),
        new("stream-snippet", Unsupported, "never executed: it is nginx configuration"),
        new("auth-snippet", Unsupported, "never executed: it is nginx configuration"),
        new("modsecurity-snippet", Unsupported, "never executed: it is nginx configuration"),
        new("enable-modsecurity", Unsupported, "OneHop has no web application firewall"),
        new("enable-owasp-core-rules", Unsupported, "OneHop has no web application firewall"),
        new("modsecurity-transaction-id", Unsupported, "OneHop has no web application firewall"),
    ];

    public static readonly FrozenDictionary<string, NginxAnnotation> ByKey = All.ToFrozenDictionary(a => a.FullName, StringComparer.Ordinal);
}
