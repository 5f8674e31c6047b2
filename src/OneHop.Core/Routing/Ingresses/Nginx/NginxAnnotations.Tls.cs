namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>The parsers of the TLS annotations: client certificates (auth-tls-*) and TLS to pods (proxy-ssl-*).</summary>
internal static partial class NginxAnnotations
{
    private static string? ProxySslSecret(string value, NginxSettingsBuilder settings)
    {
        // ingress-nginx's ParseNameNS: exactly namespace/name.
        if (State.ObjectKey.ParseNamespaced(value) is null)
        {
            return $"'{value}' is not namespace/name of a Secret (ingress-nginx needs the namespace too)";
        }

        settings.ProxySslSecret = value;
        return null;
    }

    private static string? AuthTlsSecret(string value, NginxSettingsBuilder settings)
    {
        // ingress-nginx's ParseNameNS: exactly namespace/name.
        if (State.ObjectKey.ParseNamespaced(value) is null)
        {
            return $"'{value}' is not namespace/name of a Secret with ca.crt (ingress-nginx needs the namespace too)";
        }

        settings.AuthTlsSecret = value;
        return null;
    }

    private static string? VerifyClient(string value, NginxSettingsBuilder settings)
    {
        if (value is not ("on" or "off" or "optional" or "optional_no_ca"))
        {
            return $"'{value}' is not on, off, optional or optional_no_ca";
        }

        settings.AuthTlsVerify = value != "off";
        settings.AuthTlsOptional = value is "optional" or "optional_no_ca" ? value : null;
        return null;
    }

    private static string? AuthTlsErrorPage(string value, NginxSettingsBuilder settings)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Host.Length == 0
            || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or ':' or '/'))
        {
            return $"'{value}' is not an absolute http:// or https:// URL (OneHop redirects to it; a path or @location would be served inside nginx)";
        }

        // ingress-nginx's validator allows letters, digits and -._ in the host and path: no query, nothing to escape.
        settings.AuthTlsErrorPage = value;
        return null;
    }

    private static string? AuthTlsVerifyDepth(string value, NginxSettingsBuilder settings)
    {
        if (NginxValues.Int(value, 0, 100) is not { } depth)
        {
            return $"'{value}' is not a verification depth from 1 to 100";
        }

        // ingress-nginx reads 0 as its default, 1.
        settings.AuthTlsVerifyDepth = depth == 0 ? 1 : depth;
        return null;
    }

    /// <summary>ingress-nginx's validator: <c>CN=</c> and then a regular expression, all of it searched in the subject.</summary>
    private static string? MatchCn(string value, NginxSettingsBuilder settings)
    {
        if (!value.StartsWith("CN=", StringComparison.Ordinal))
        {
            return $"'{value}' does not start with CN= (such as CN=client or CN=(one|two))";
        }

        if (ValueMatch.Search(value, out var problem) is null)
        {
            return problem;
        }

        settings.AuthTlsMatchSubject = value;
        return null;
    }

    private static string? ProxySslName(string value, NginxSettingsBuilder settings)
    {
        if (value.Contains('$', StringComparison.Ordinal))
        {
            return $"'{value}' uses an nginx variable; OneHop needs a host name";
        }

        if (Uri.CheckHostName(value) != UriHostNameType.Dns || value.Contains('*', StringComparison.Ordinal))
        {
            return $"'{value}' is not a DNS name without wildcard";
        }

        settings.ProxySslName = value.ToLowerInvariant();
        return null;
    }

    private static string? VerifyDepth(string value, NginxSettingsBuilder settings)
    {
        if (NginxValues.Int(value, 0, 100) is not { } depth)
        {
            return $"'{value}' is not a verification depth from 1 to 100";
        }

        // ingress-nginx reads 0 as its default, 1.
        settings.ProxySslVerifyDepth = depth == 0 ? 1 : depth;
        return null;
    }

    /// <summary>proxy-ssl-ciphers: suites by name are applied; an OpenSSL cipher string of aliases is accepted and leaves the system's list.</summary>
    private static string? ProxySslCiphers(string value, NginxSettingsBuilder settings)
    {
        if (Configuration.TlsCipherSuiteList.Parse(value, out var error) is { } suites)
        {
            settings.ProxySslCiphers = suites.ToString();
            return null;
        }

        // OpenSSL's language (HIGH:!aNULL, ingress-nginx's default DEFAULT) is accepted and leaves the system's list; a
        // name that is not one (a typo) is an error, not a list silently not applied.
        var tokens = value.Split([':', ',', ';', ' '], StringSplitOptions.RemoveEmptyEntries);
        var language = NginxValues.CipherList().IsMatch(value) && tokens.Any(Configuration.TlsCipherSuiteNames.IsAliasOrOperator)
            && tokens.All(t => Configuration.TlsCipherSuiteNames.IsAliasOrOperator(t) || Configuration.TlsCipherSuiteNames.IsName(t));
        return language ? null : $"'{value}' is not an OpenSSL cipher list such as HIGH:!aNULL:!MD5 or a list of suites by name: {error}";
    }

    private static string? SslProtocols(string value, NginxSettingsBuilder settings)
    {
        var tokens = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0 || tokens.Any(t => t is not ("TLSv1.2" or "TLSv1.3")))
        {
            return $"'{value}' is not TLSv1.2 and/or TLSv1.3 (the versions ingress-nginx accepts), space-separated";
        }

        settings.ProxySslProtocols = string.Join(' ', tokens.Distinct().Order(StringComparer.Ordinal));
        return null;
    }
}
