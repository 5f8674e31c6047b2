using System.Collections.Frozen;
using System.Security.Authentication;
using OneHop.Core.Configuration;
using static OneHop.Core.Routing.Ingresses.Nginx.NginxSupport;

namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>
/// The registry of ingress-nginx's controller ConfigMap keys (its docs' configmap.md): the ones with a OneHop meaning are
/// the defaults every served Ingress starts from before its own annotations, read with the same parser as the annotation
/// of the same name; every other key is listed with why it is not applied. docs/ingress-nginx.md's "The controller
/// ConfigMap" is its table; a test checks the two agree.
/// </summary>
internal static class NginxConfigMapKeys
{
    private const string Snippet = "never executed: it is nginx configuration, and running users' configuration is how ingress-nginx's worst vulnerabilities came in";
    private const string NginxInternals = "tunes nginx's own workers, buffers or hash tables, which OneHop does not have";
    private const string AccessLog = "OneHop's access log is set for the whole proxy (--access-log, --access-log-format: JSON or text), not by nginx's log settings";
    private const string Tracing = "OneHop traces with OpenTelemetry over OTLP/HTTP set by --otlp-endpoint and --trace-sample-ratio; nginx's tracing settings are not read";
    private const string GlobalAuthNote = ", for every served Ingress without auth-url and without enable-global-auth: \"false\", read as the auth-* annotation of the same name (an Ingress's own auth-url replaces all of global-auth-*, as in ingress-nginx)";
    private const string Listener = "a setting of OneHop's listeners in its config file, read at start-up, not a default of the routes: ";
    private const string Stream = "OneHop's TCP and UDP services (tcp-services/udp-services ConfigMaps) have their own idle timeouts and retry the next pod on connect failures";

    public static readonly IReadOnlyList<NginxConfigMapKey> All =
    [
        // Defaults of every served Ingress, read as the annotation of the same name.
        Shared("proxy-body-size", Difference, "the largest request body of every Ingress without the annotation (nginx sizes; 0 for no limit), above limits.maxRequestBodySize too; a larger body is answered 413; without the key limits.maxRequestBodySize applies (100m by default) where ingress-nginx's default is 1m"),
        Shared("proxy-connect-timeout", Difference, "seconds a connection to a pod may take, for every Ingress without the annotation; without the key defaults.connectTimeout (5 s, as ingress-nginx); when no pod accepts OneHop answers 503 where nginx answers 504"),
        Shared("proxy-read-timeout", Difference, "seconds a pod may stay silent, for every Ingress without the annotation; without the key defaults.requestTimeout (100 s, where ingress-nginx's default is 60 s)"),
        Shared("proxy-send-timeout", Difference, "seconds a write of the request body to a pod may wait, for every Ingress without the annotation; without the key the read timeout (ingress-nginx's default is 60 s)"),
        Shared("proxy-next-upstream", Difference, "for every Ingress without the annotation: off turns retries off; the other conditions are replaced by OneHop's own (connect errors, resets, 502/503/504 before a response started)"),
        Shared("proxy-next-upstream-tries", Difference, "tries per request, the first included, for every Ingress without the annotation (0 = OneHop's most, 10); without the key OneHop's defaults.retries (ingress-nginx's default is 3)"),
        Shared("ssl-redirect", Honoured, "false stops the 308 to https:// for the TLS hosts of every Ingress without the annotation (default true, as in ingress-nginx)"),
        Shared("force-ssl-redirect", Honoured, "true redirects every rule host of every Ingress without the annotation to https://, also without spec.tls (default false)"),
        Shared("load-balance", Honoured, "round_robin (the default) or ewma (OneHop's peak-ewma) for every Ingress without the annotation"),
        Shared("custom-http-errors", Difference, "the statuses of every Ingress without the annotation that its default-backend, else OneHop's default backend (the config's defaultUpstream or an Ingress's spec.defaultBackend), answers instead, as the annotation does; with no default backend the answers pass unchanged, where ingress-nginx's built-in one answers 404"),
        Shared("whitelist-source-range", Honoured, "the allow list of every Ingress without allowlist-source-range or whitelist-source-range: any other client address is answered 403"),
        Shared("denylist-source-range", Honoured, "the deny list of every Ingress without denylist-source-range: these client addresses are answered 403"),
        Shared("proxy-redirect-from", Difference, "the first value of nginx's proxy_redirect for every Ingress without the annotation, read as the annotation (off by default, as in ingress-nginx); with proxy-redirect-to it rewrites the pods' Location and Refresh headers on both forwarders"),
        Shared("proxy-redirect-to", Difference, "the second value of nginx's proxy_redirect for every Ingress without the annotation, read as the annotation (off by default); a key ingress-nginx reads though its configmap.md does not list it"),
        Shared("proxy-cookie-domain", Difference, "the Set-Cookie Domain rewrite of every Ingress without the annotation, read as the annotation (off by default, as in ingress-nginx)"),
        Shared("proxy-cookie-path", Difference, "the Set-Cookie Path rewrite of every Ingress without the annotation, read as the annotation (off by default, as in ingress-nginx)"),
        Shared("proxy-buffering", Difference, "accepted: OneHop always streams responses; on is what lets limit-rate pace the answers of every Ingress without the annotation, as in ingress-nginx"),
        Shared("proxy-request-buffering", Difference, "accepted: OneHop always streams request bodies"),
        Shared("proxy-buffer-size", Difference, "accepted: nginx's buffer sizes have no meaning in OneHop, which streams"),
        Shared("proxy-buffers-number", Difference, "accepted: nginx's buffer sizes have no meaning in OneHop, which streams"),
        Shared("proxy-busy-buffers-size", Difference, "accepted: nginx's buffer sizes have no meaning in OneHop, which streams"),
        Shared("enable-opentelemetry", Difference, "true or false: whether the requests of every Ingress without the annotation get spans, while OneHop traces at all (--otlp-endpoint); without the key every Ingress is traced, where ingress-nginx's default is off"),
        Shared("opentelemetry-trust-incoming-span", Difference, "false, for every Ingress without the annotation: a client's traceparent and tracestate are neither the parent of OneHop's span nor passed on to the pod (default true, as in ingress-nginx)"),
        new("opentelemetry-operation-name", Difference, "the name of the request spans of every Ingress without the annotation, with nginx variables: the request's ($request_method, $uri, $host, $scheme, $request_uri, $http_NAME...) and the location's ($namespace, $ingress_name, $service_name, $service_port); any other variable ($location_path, $server_name...) is a bad value, where nginx fills it in; without it OneHop's METHOD PATH", (v, s) => NginxSpanName.ConfigMapProblem(v) ?? Set(() => s.OpentelemetryOperationName = v)),
        new("skip-access-log-urls", Difference, "a comma-separated list of request URIs (path and query as sent) whose requests to every Ingress are not logged, as nginx's map of $request_uri: a plain entry is the whole of it, case ignored; ~ (~* ignoring case) starts a regular expression found anywhere in it, on .NET's non-backtracking engine (no lookarounds or backreferences); requests no Ingress routes are still logged", (v, s) => Map(v, m => s.AccessLogSkips = m)),
        new("disable-access-log", Difference, "true keeps the requests of every Ingress out of OneHop's access log (--access-log), whatever their enable-access-log says, as nginx's access_log off for the whole http block; requests no Ingress routes (404, the config file's routes) are still logged", (v, s) => Flag(v, b => s.DisableAccessLog = b)),
        .. NginxCompressionKeys.All,
        new("generate-request-id", Difference, "true gives every request of every served Ingress that comes without an X-Request-ID one of 32 hex digits (nginx's $request_id), which its pod, auth-url, mirrors and error pages receive, as ingress-nginx's X-Request-ID $req_id; without the key OneHop makes none (unless the config file's forwardedHeaders.generateRequestId is true) and passes the client's as it is, where ingress-nginx's default is true; the pod's answer does not carry it, as in ingress-nginx", (v, s) => Flag(v, b => s.GenerateRequestId = b)),
        Shared("client-body-buffer-size", Difference, "accepted: OneHop streams request bodies"),
        new("hsts", Difference, "true sends Strict-Transport-Security on the HTTPS responses of every Ingress's TLS hosts (without onehop.dev/hsts), built from hsts-max-age, hsts-include-subdomains and hsts-preload with ingress-nginx's defaults; without any hsts key OneHop sends none, where ingress-nginx's default is on", (v, s) => Flag(v, b => s.Hsts = b)),
        new("hsts-max-age", Honoured, "max-age of Strict-Transport-Security, in seconds (default 31536000)", (v, s) => NginxValues.Int(v, 0, int.MaxValue) is { } age ? Set(() => s.HstsMaxAge = age) : $"'{v}' is not a number of seconds"),
        new("hsts-include-subdomains", Honoured, "adds includeSubDomains (default true)", (v, s) => Flag(v, b => s.HstsIncludeSubdomains = b)),
        new("hsts-preload", Honoured, "adds preload (default false)", (v, s) => Flag(v, b => s.HstsPreload = b)),
        new("add-headers", Difference, "namespace/name of a ConfigMap whose data are response headers set on every answer of every served Ingress (an Ingress's custom-headers win for the same name); the ConfigMap is watched and an edit applies; a value with an nginx variable ($name) is reported and that header left out, since OneHop does not evaluate nginx variables; a missing ConfigMap or a bad header name or value is reported and the last good headers stay", (v, s) => NginxValues.ConfigMapName(v, k => s.AddHeaders = k)),
        new("proxy-set-headers", Difference, "namespace/name of a ConfigMap whose data are request headers set on every request to the pods of every served Ingress; the ConfigMap is watched and an edit applies; a value with an nginx variable ($name) is reported and that header left out, since OneHop does not evaluate nginx variables; a missing ConfigMap or a bad header name or value is reported and the last good headers stay", (v, s) => NginxValues.ConfigMapName(v, k => s.ProxySetHeaders = k)),
        new("hide-headers", Honoured, "a comma-separated list of pod response headers removed from the answers of every served Ingress (nginx's proxy_hide_header)", (v, s) => NginxValues.HeaderNames(v, l => s.HideHeaders = l)),
        new("global-allowed-response-headers", Difference, "a comma-separated list of the header names custom-headers may set, compared exactly as written (as ingress-nginx does); a name that is not a header name is a bad value, where ingress-nginx drops it with a warning", (v, s) => NginxValues.HeaderNames(v, l => s.AllowedResponseHeaders = l)),
        GlobalAuth("auth-url", Difference, "the external authentication URL" + GlobalAuthNote + "; with the differences of auth-url (a Service's cluster DNS name goes straight to its ready pods; the variables auth-url fills in; Content-Type not passed)"),
        GlobalAuth("auth-method", Honoured, "the method of the subrequest to global-auth-url (GET without it)" + GlobalAuthNote),
        GlobalAuth("auth-signin", Honoured, "a 401 from global-auth-url is answered 302 to this URL with the original URL in rd=" + GlobalAuthNote),
        GlobalAuth("auth-signin-redirect-param", Honoured, "the query parameter of global-auth-signin that carries the original URL (default rd)" + GlobalAuthNote),
        GlobalAuth("auth-response-headers", Honoured, "headers copied from global-auth-url's 2xx answer to the request to the pod" + GlobalAuthNote),
        GlobalAuth("auth-request-redirect", Honoured, "X-Auth-Request-Redirect sent to global-auth-url" + GlobalAuthNote),
        GlobalAuth("auth-cache-key", Difference, "global-auth-url's answers reused for the requests of the same rule whose key reads the same, with the differences of auth-cache-key (in memory, at most 10,000 answers)" + GlobalAuthNote),
        GlobalAuth("auth-cache-duration", Honoured, "the status codes and times global-auth-cache-key keeps answers for (default 200 202 401 5m)" + GlobalAuthNote),
        GlobalAuth("auth-always-set-cookie", Honoured, "global-auth-url's Set-Cookie is added to every response, not only to successes and redirects" + GlobalAuthNote),
        new("no-auth-locations", Honoured, "a comma-separated list of path prefixes (default /.well-known/acme-challenge): the rules of every served Ingress whose path starts with one get no authentication, neither auth-url, global-auth-url nor basic authentication, as ingress-nginx's template leaves it out", (v, s) => Set(() => s.NoAuthLocations = [.. v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)])),
        new("allow-snippet-annotations", Difference, "accepted: OneHop never executes snippets, whatever it says; the *-snippet annotations are reported as not supported", (v, _) => NginxValues.Bool(v) is null ? NginxValues.NotBool(v) : null),

        // Who the client is: the proxies in front trusted for the whole proxy (not a default of the routes), live.
        new("use-forwarded-headers", Difference, "true: on a connection from proxy-real-ip-cidr the client address is read from forwarded-for-header, skipping trusted hops (real_ip_recursive on), and used by allow and deny lists, limit-*, upstream-hash-by, auth-url, the access log, traces and the X-Forwarded-For/X-Real-IP sent to pods; the proxy's X-Forwarded-Proto (http or https) becomes the request's scheme (ssl-redirect, HSTS) and its X-Forwarded-Host (first element) and X-Forwarded-Port are passed on; an edit applies to the next request. The differences: X-Forwarded-Proto/-Host/-Port are believed from peers in proxy-real-ip-cidr only, where ingress-nginx believes any peer (the same with the default 0.0.0.0/0 for IPv4 peers), X-Forwarded-Host does not become the pods' Host, and a header OneHop cannot read whole (a name, unknown, more than 32 hops) leaves the connection's address; with this key or enable-real-ip on, the ConfigMap replaces the config file's forwardedHeaders.trustedProxies", (v, s) => Flag(v, b => s.RealIp.UseForwardedHeaders = b)),
        new("compute-full-forwarded-for", Difference, "with use-forwarded-headers, X-Forwarded-For to pods is the one received with the peer's address added, instead of the client address alone (X-Real-IP stays the client address); without use-forwarded-headers it changes nothing, as in ingress-nginx. The difference: from a peer outside proxy-real-ip-cidr the pods get that peer's address alone, where ingress-nginx appends it to whatever the peer sent", (v, s) => Flag(v, b => s.RealIp.ComputeFullForwardedFor = b)),
        new("forwarded-for-header", Honoured, "the header the client address is read from with use-forwarded-headers or enable-real-ip (default X-Forwarded-For; CF-Connecting-IP, True-Client-IP... as a CDN sends it)", (v, s) => NginxValues.HeaderName().IsMatch(v) ? Set(() => s.RealIp.ForwardedForHeader = v) : $"'{v}' is not a header name (letters, digits, - and _)"),
        new("enable-real-ip", Honoured, "true: on a connection from proxy-real-ip-cidr the client address is read from forwarded-for-header (recursively), as with use-forwarded-headers, without believing the proxy's X-Forwarded-Proto/-Host/-Port; an edit applies to the next request", (v, s) => Flag(v, b => s.RealIp.EnableRealIp = b)),
        new("proxy-real-ip-cidr", Difference, "a comma-separated list of addresses and CIDR networks: the proxies in front trusted by use-forwarded-headers and enable-real-ip, the connection's peer and each hop skipped in forwarded-for-header (default 0.0.0.0/0: every IPv4 peer, as in ingress-nginx); an IPv4 peer of a dual-stack socket matches IPv4 networks; not applied to use-proxy-protocol, which OneHop does not take from the ConfigMap", (v, s) => Cidrs(v, l => s.RealIp.Cidrs = l)),

        // Settings of OneHop's listeners, not of the routes.
        new("use-proxy-protocol", Difference, "true: connections to the HTTP and HTTPS listeners (those without a proxyProtocol of their own in the config file) from proxy-real-ip-cidr must start with a PROXY protocol header (v1 or v2), whose address is the client's; where nginx then refuses every connection without one, a peer outside proxy-real-ip-cidr is served without (and refused if it sends one); an edit applies to the next connection", (v, s) => Flag(v, b => s.RealIp.UseProxyProtocol = b)),
        new("forwarded-for-proxy-protocol-header", Unsupported, Listener + "the address of the PROXY protocol header is the client's (proxyProtocol on the listener)"),
        new("proxy-protocol-header-timeout", Unsupported, Listener + "the PROXY header must arrive with the connection's first bytes"),
        new("ssl-protocols", Difference, "the TLS versions every HTTPS listener offers (default TLSv1.2 TLSv1.3, as in ingress-nginx), replacing the config file's tls.minVersion; OneHop offers TLS 1.2 and 1.3 only, so SSLv3, TLSv1 and TLSv1.1 are accepted and not offered, and a list with neither TLSv1.2 nor TLSv1.3 is refused; an edit applies to the next handshake", ServerTlsProtocols),
        new("ssl-ciphers", Difference, "the TLS 1.2 cipher suites every HTTPS listener offers, replacing the config file's tls.cipherSuites: OpenSSL's names (or IANA's) separated by colons; OpenSSL's aliases and operators (HIGH, !aNULL, @STRENGTH) are refused, and TLS 1.3's suites stay offered unless the list names some, as nginx's ssl_ciphers; a list costs TLS session resumption (.NET sets it as a policy); an edit applies to the next handshake", ServerCipherSuites),
        new("use-http2", Unsupported, Listener + "HTTPS listeners always offer HTTP/2 by ALPN, h2c listeners speak it in clear"),
        new("bind-address", Unsupported, Listener + "the listeners' addresses (--http, --https, listeners)"),
        new("reuse-port", Unsupported, Listener + "OneHop binds each listener once"),
        new("disable-ipv6", Unsupported, Listener + "the listeners' addresses say which families are served"),

        // Everything else ingress-nginx's ConfigMap documents.
        .. Group(Snippet, "main-snippet", "http-snippet", "server-snippet", "stream-snippet", "location-snippet", "global-auth-snippet", "modsecurity-snippet"),
        .. Group("OneHop has no web application firewall", "enable-modsecurity", "enable-owasp-modsecurity-crs"),
        .. Group(NginxInternals, "client-header-buffer-size", "large-client-header-buffers", "enable-multi-accept", "max-worker-connections", "max-worker-open-files", "map-hash-bucket-size", "server-name-hash-max-size", "server-name-hash-bucket-size", "proxy-headers-hash-max-size", "proxy-headers-hash-bucket-size", "variables-hash-bucket-size", "variables-hash-max-size", "worker-processes", "worker-cpu-affinity", "enable-serial-reloads", "enable-aio-write", "lua-shared-dicts", "ssl-buffer-size", "http2-max-field-size", "http2-max-header-size", "grpc-buffer-size-kb", "debug-connections", "error-log-level", "error-log-path", "disable-ipv6-dns"),
        .. Group(AccessLog, "access-log-params", "access-log-path", "http-access-log-path", "stream-access-log-path", "enable-access-log-for-default-backend", "log-format-escape-none", "log-format-escape-json", "log-format-upstream", "log-format-stream", "enable-syslog", "syslog-host", "syslog-port"),
        .. Group(Tracing, "jaeger-collector-host", "jaeger-collector-port", "jaeger-endpoint", "jaeger-service-name", "jaeger-propagation-format", "jaeger-sampler-type", "jaeger-sampler-param", "jaeger-sampler-host", "jaeger-sampler-port", "jaeger-trace-context-header-name", "jaeger-debug-header", "jaeger-baggage-header", "jaeger-trace-baggage-header-prefix", "opentelemetry-config", "otlp-collector-host", "otlp-collector-port", "otel-max-queuesize", "otel-schedule-delay-millis", "otel-max-export-batch-size", "otel-service-name", "otel-sampler", "otel-sampler-parent-based", "otel-sampler-ratio"),
        .. Group(Stream, "proxy-stream-timeout", "proxy-stream-next-upstream", "proxy-stream-next-upstream-timeout", "proxy-stream-next-upstream-tries", "proxy-stream-responses"),
        .. Group("GeoIP databases are not read by OneHop", "use-geoip", "use-geoip2", "geoip2-autoreload-in-minutes"),
        .. Group("OneHop keeps its connections to pods pooled and open while they are used, and closes them after defaults.upstreamIdleTimeout", "upstream-keepalive-connections", "upstream-keepalive-time", "upstream-keepalive-timeout", "upstream-keepalive-requests"),
        .. Group("OneHop's client connection limits are the config file's limits (keep-alive timeout, header size and timeout), for the whole proxy", "keep-alive", "keep-alive-requests", "client-header-timeout", "client-body-timeout", "http2-max-concurrent-streams", "http2-max-requests"),
        .. Group("OneHop's TLS session resumption is .NET's, not configurable", "ssl-session-cache", "ssl-session-cache-size", "ssl-session-tickets", "ssl-session-ticket-key", "ssl-session-timeout"),
        .. Group("OneHop's TLS key exchange is .NET's and OpenSSL's defaults", "ssl-ecdh-curve", "ssl-dh-param"),
        new("allow-backend-server-header", Unsupported, "OneHop passes the pod's Server header as it is"),
        new("server-tokens", Unsupported, "OneHop sends no Server header of its own"),
        new("allow-cross-namespace-resources", Unsupported, "OneHop never lets an Ingress name a Secret of another namespace (ingress-nginx's default), and has no switch to allow it"),
        new("annotations-risk-level", Unsupported, "OneHop has one list of annotations it serves (docs/ingress-nginx.md) and never runs configuration from them"),
        new("annotation-value-word-blocklist", Unsupported, "OneHop checks each annotation's value against its own syntax instead of a list of words"),
        new("enable-underscores-in-headers", Unsupported, "OneHop passes header names with underscores as they are"),
        new("ignore-invalid-headers", Unsupported, "OneHop's HTTP parsers refuse invalid header names"),
        new("retry-non-idempotent", Unsupported, "OneHop retries idempotent requests without a body only"),
        new("enable-ocsp", Difference, "true staples every served certificate's OCSP answer to its TLS handshakes (nginx's ssl_stapling), as the config file's tls.ocspStapling: fetched over HTTP from the responder the certificate's Authority Information Access names, its chain reaching its root through the Secret's bundle or the system's trust store (a certificate whose chain does not gets no staple and a warning), refreshed daily and before it runs out; the first handshakes after a certificate loads go without it until the answer is in. The difference: an answer that cannot be fetched or checked is not stapled and OneHop retries it every 5 s, where nginx logs and retries on its own schedule; ingress-nginx's own Lua fetcher is not what runs", (v, s) => Flag(v, b => s.EnableOcsp = b)),
        new("nginx-status-ipv4-whitelist", Unsupported, "OneHop's status is its admin API, on its own address (--admin)"),
        new("nginx-status-ipv6-whitelist", Unsupported, "OneHop's status is its admin API, on its own address (--admin)"),
        new("worker-shutdown-timeout", Unsupported, "OneHop's drain on shutdown is --drain-delay and defaults.drainTimeout"),
        new("limit-conn-zone-variable", Unsupported, "OneHop's limits count per client address, as ingress-nginx's default"),
        new("limit-req-status-code", Honoured, "the status, 400 to 599, of a request over limit-rps or limit-rpm, for every Ingress (default 503; 429 is the usual choice)", (v, s) => LimitStatus(v, n => s.LimitReqStatusCode = n)),
        new("limit-conn-status-code", Honoured, "the status, 400 to 599, of a request over limit-connections, for every Ingress (default 503)", (v, s) => LimitStatus(v, n => s.LimitConnStatusCode = n)),
        Shared("limit-rate", Difference, "KiB a second the answers of every Ingress without the annotation go at, read as the annotation, with its differences: only with proxy-buffering on, a paced answer holds its pod back (0, the default, for no limit; ingress-nginx writes it with k as the annotation, though its configmap.md says bytes)"),
        Shared("limit-rate-after", Honoured, "KiB of each answer sent before limit-rate paces the rest, for every Ingress without the annotation (default 0)"),
        new("proxy-add-original-uri-header", Honoured, "true sends every request of every served Ingress to its pod with X-Original-URI, the path and query as the client sent them (nginx's $request_uri), before any rewrite; a client's own X-Original-URI is replaced", (v, s) => Flag(v, b => s.AddOriginalUriHeader = b)),
        Shared("proxy-next-upstream-timeout", Honoured, "seconds after the first try within which another may begin, for every Ingress without the annotation (0, the default, for no limit)"),
        new("proxy-ssl-location-only", Unsupported, "the proxy-ssl-* annotations apply to the Ingress's backends in OneHop"),
        new("http-redirect-code", Honoured, "the status of the redirects of plain HTTP to HTTPS (ssl-redirect, force-ssl-redirect, for every host OneHop redirects) and of from-to-www-redirect: 301, 302, 307 or 308 (the default)", (v, s) => NginxValues.Int(v, 301, 308) is { } code && code is 301 or 302 or 307 or 308 ? Set(() => s.HttpRedirectCode = code) : $"'{v}' is not 301, 302, 307 or 308"),
        new("no-tls-redirect-locations", Unsupported, "OneHop never redirects /.well-known/acme-challenge/ (ingress-nginx's default) and no other path is exempt"),
        new("block-cidrs", Difference, "a comma-separated list of addresses and CIDR networks answered 403 on every served Ingress, before its own deny and allow lists. The difference: nginx's deny at the http level is replaced by an Ingress's own allowlist-source-range or denylist-source-range (location-level allow and deny lines replace inherited ones), so such an Ingress served the blocked addresses; OneHop blocks them there too. Requests no Ingress routes get their 404", (v, s) => BlockCidrs(v, l => s.BlockCidrs = l)),
        new("block-user-agents", Difference, BlockMap("User-Agent"), (v, s) => Map(v, m => s.BlockUserAgents = m)),
        new("block-referers", Difference, BlockMap("Referer"), (v, s) => Map(v, m => s.BlockReferers = m)),
        new("default-type", Unsupported, "OneHop leaves a pod's response without Content-Type as it is"),
        new("service-upstream", Unsupported, "refused: it sends traffic to the Services' ClusterIPs, the second hop OneHop exists to remove"),
        new("ssl-reject-handshake", Difference, "true refuses the TLS handshake of a client whose SNI names no host OneHop has a certificate for, or that sends none, instead of answering with the default certificate, as the config file's tls.rejectUnknownNames (nginx's ssl_reject_handshake in ingress-nginx's default server: no default certificate to fingerprint). The differences: OneHop ends the handshake without nginx's unrecognized_name alert; the host of an Ingress without spec.tls is refused too, where ingress-nginx serves it with its default certificate; a Gateway's HTTPS listener keeps its own default certificate", (v, s) => Flag(v, b => s.SslRejectHandshake = b)),
        new("strict-validate-path-type", Unsupported, "OneHop always checks paths as the API server does, and regex paths only with use-regex or rewrite-target"),
        new("relative-redirects", Unsupported, "OneHop's redirects carry absolute Locations"),
    ];

    /// <summary>nginx's ssl_protocols names, as the versions OneHop offers: the older ones are accepted and offer nothing.</summary>
    private static readonly IReadOnlyDictionary<string, SslProtocols> NginxTlsProtocols = new Dictionary<string, SslProtocols>(StringComparer.Ordinal)
    {
        ["SSLv2"] = SslProtocols.None,
        ["SSLv3"] = SslProtocols.None,
        ["TLSv1"] = SslProtocols.None,
        ["TLSv1.1"] = SslProtocols.None,
        ["TLSv1.2"] = SslProtocols.Tls12,
        ["TLSv1.3"] = SslProtocols.Tls13,
    };

    public static readonly FrozenDictionary<string, NginxConfigMapKey> ByName = All.ToFrozenDictionary(k => k.Name, StringComparer.Ordinal);

    /// <summary>A key with the annotation of the same name's meaning and parser.</summary>
    private static NginxConfigMapKey Shared(string name, NginxSupport support, string note) =>
        new(name, support, note, NginxAnnotations.ByKey[NginxAnnotations.Prefix + name].Parse);

    /// <summary>
    /// <c>global-</c> and an <c>auth-*</c> annotation's name: read by that annotation's parser into the settings' global
    /// authentication, which applies where the Ingress has no <c>auth-url</c> of its own.
    /// </summary>
    private static NginxConfigMapKey GlobalAuth(string annotation, NginxSupport support, string note) =>
        new("global-" + annotation, support, note, (value, settings) =>
        {
            if (annotation == "auth-url")
            {
                settings.GlobalAuthField = settings.Field;
            }

            return NginxAnnotations.ByKey[NginxAnnotations.Prefix + annotation].Parse!(value, settings.GlobalAuth);
        });

    private static IEnumerable<NginxConfigMapKey> Group(string reason, params string[] names) =>
        names.Select(n => new NginxConfigMapKey(n, Unsupported, reason));

    /// <summary>A Go boolean handed to <paramref name="set"/>; the problem otherwise.</summary>
    internal static string? Flag(string value, Action<bool> set)
    {
        if (NginxValues.Bool(value) is not { } b)
        {
            return NginxValues.NotBool(value);
        }

        set(b);
        return null;
    }

    /// <summary>A comma-separated list of addresses and networks, as nginx's set_real_ip_from takes them; at least one.</summary>
    private static string? Cidrs(string value, Action<System.Collections.Immutable.ImmutableArray<System.Net.IPNetwork>> set)
    {
        var items = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (items.Length == 0)
        {
            return "no network: list the proxies in front, such as 10.0.0.0/8";
        }

        var networks = new List<System.Net.IPNetwork>(items.Length);
        foreach (var item in items)
        {
            if (RouteSourceRanges.Network(item) is not { } network)
            {
                return $"'{item}' is not an address or a network such as 10.0.0.0/8";
            }

            networks.Add(network);
        }

        set([.. networks]);
        return null;
    }

    /// <summary>block-cidrs: addresses and networks as the source-range annotations read them, except that an empty list (its default) blocks none.</summary>
    private static string? BlockCidrs(string value, Action<System.Collections.Immutable.ImmutableArray<string>> set) =>
        string.IsNullOrWhiteSpace(value.Replace(',', ' ')) ? Set(() => set([])) : NginxAnnotations.SourceRanges(value, set);

    /// <summary>A key read as nginx's map source values (<see cref="MapPatterns"/>); an empty list sets none.</summary>
    private static string? Map(string value, Action<MapPatterns?> set) =>
        MapPatterns.Parse(value, out var problem) is var map && problem is null ? Set(() => set(map)) : problem;

    /// <summary>The meaning of block-user-agents and block-referers, which differ only in the header they read.</summary>
    private static string BlockMap(string header) =>
        $"a comma-separated list of {header} values answered 403 on every served Ingress, read as nginx's map does: a plain entry is the whole header, case ignored; ~ (~* ignoring case) starts a regular expression found anywhere in it, on .NET's non-backtracking engine (no lookarounds or backreferences); a request without the header meets the plain entries only (\"\" for it), as nginx's map tries no expression on an empty value; an entry in quotes is read without them (the way to write one with a space). Checked before anything else of the route, its redirects (permanent-redirect, app-root, from-to-www-redirect) included, as ingress-nginx's server-level if. The differences: requests no Ingress routes are not checked (they get their 404), and a plain-HTTP request to a TLS host gets its 308 to https:// first, then the HTTPS request is refused";

    /// <summary>limit-req-status-code, limit-conn-status-code: nginx's limit_req_status and limit_conn_status take 400 to 599.</summary>
    private static string? LimitStatus(string value, Action<int> set) =>
        NginxValues.Int(value, 400, 599) is { } status ? Set(() => set(status)) : $"'{value}' is not a status from 400 to 599";

    /// <summary>Runs <paramref name="set"/>: a parser's "no problem".</summary>
    internal static string? Set(Action set)
    {
        set();
        return null;
    }

    /// <summary>nginx's ssl_ciphers, by name (<see cref="TlsCipherSuiteNames"/>).</summary>
    private static string? ServerCipherSuites(string value, NginxSettingsBuilder settings)
    {
        if (TlsCipherSuiteList.Parse(value, out var error) is not { } suites)
        {
            return error;
        }

        settings.ServerCipherSuites = suites;
        return null;
    }

    /// <summary>nginx's ssl_protocols: space-separated names; the ones OneHop offers are kept.</summary>
    private static string? ServerTlsProtocols(string value, NginxSettingsBuilder settings)
    {
        var offered = SslProtocols.None;
        foreach (var token in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!NginxTlsProtocols.TryGetValue(token, out var protocol))
            {
                return $"'{token}' is not one of nginx's ssl_protocols ({string.Join(", ", NginxTlsProtocols.Keys)})";
            }

            offered |= protocol;
        }

        if (offered == SslProtocols.None)
        {
            return $"'{value}' names neither TLSv1.2 nor TLSv1.3, the versions OneHop offers: no client could connect";
        }

        settings.ServerTlsProtocols = offered;
        return null;
    }
}
