using System.Globalization;
using System.Text.RegularExpressions;

namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>Strict readers for annotation values as ingress-nginx writes them.</summary>
internal static partial class NginxValues
{
    /// <summary>Go's strconv.ParseBool, which ingress-nginx uses.</summary>
    public static bool? Bool(string value) => value switch
    {
        "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
        "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
        _ => null,
    };

    public static string NotBool(string value) => $"'{value}' is not true or false";

    public static int? Int(string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n : null;

    /// <summary>An nginx size (<c>8k</c>, <c>1m</c>, <c>2g</c>, <c>512</c>) in bytes.</summary>
    public static long? Size(string value)
    {
        var match = SizeSyntax().Match(value);
        if (!match.Success || !long.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return null;
        }

        var unit = match.Groups[2].Value.ToLowerInvariant() switch { "k" => 1L << 10, "m" => 1L << 20, "g" => 1L << 30, _ => 1L };
        return n > long.MaxValue / unit ? null : n * unit;
    }

    /// <summary>An absolute http or https URL, as the redirect annotations need.</summary>
    public static Uri? AbsoluteUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && !HasUnsafe(value) ? uri : null;

    /// <summary>A path starting with '/', without characters that would break out of a header or a URL.</summary>
    public static bool IsPath(string value) => value.StartsWith('/') && !HasUnsafe(value) && !value.Contains('?', StringComparison.Ordinal);

    /// <summary>Whitespace, quotes and nginx syntax: such a value was an attempt to inject configuration, or a mistake.</summary>
    public static bool HasUnsafe(string value) => UnsafeCharacters().IsMatch(value);

    [GeneratedRegex(@"[\s""'`;{}\\]")]
    private static partial Regex UnsafeCharacters();

    [GeneratedRegex(@"^([0-9]+)([kKmMgG]?)$")]
    private static partial Regex SizeSyntax();

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+$")]
    public static partial Regex CookieName();


    /// <summary>A Service name (RFC 1035 label), as ingress-nginx's ValidateServiceName checks it.</summary>
    [GeneratedRegex(@"^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$")]
    public static partial Regex ServiceName();

    /// <summary>A CORS origin: scheme, host (or <c>*.</c> and a domain), optional port, nothing after.</summary>
    [GeneratedRegex(@"^https?://(\*\.)?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$")]
    public static partial Regex CorsOrigin();

    /// <summary>An OpenSSL cipher list, as ingress-nginx's validator for proxy-ssl-ciphers.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9+:_\-!]+$")]
    public static partial Regex CipherList();

    /// <summary>A header name as ingress-nginx's customheaders.ValidHeader accepts it.</summary>
    [GeneratedRegex(@"^[a-zA-Z0-9\-_]+\z")]
    public static partial Regex HeaderName();

    /// <summary>A header value as ingress-nginx's customheaders.ValidValue accepts it (no control characters, no tab).</summary>
    [GeneratedRegex(@"^[a-zA-Z0-9_ :;.,\\/""'?!(){}\[\]@<>=\-+*#$&`|~^%]+\z")]
    public static partial Regex HeaderValue();

    /// <summary>An nginx variable (<c>$name</c> or <c>${name}</c>) in a value that nginx would interpolate.</summary>
    [GeneratedRegex(@"\$(\{?[A-Za-z_])")]
    public static partial Regex Variable();

    /// <summary>Reads <c>NAMESPACE/NAME</c> of a ConfigMap into <paramref name="set"/>; returns why it is not one, or null.</summary>
    public static string? ConfigMapName(string value, Action<State.ObjectKey> set)
    {
        if (State.ObjectKey.ParseNamespaced(value) is not { } key)
        {
            return $"'{value}' is not namespace/name of a ConfigMap (ingress-nginx looks it up by namespace/name)";
        }

        set(key);
        return null;
    }

    /// <summary>Reads a comma-separated list of header names (spaces around them trimmed; empty for none) into <paramref name="set"/>.</summary>
    public static string? HeaderNames(string value, Action<System.Collections.Immutable.ImmutableArray<string>> set)
    {
        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.FirstOrDefault(n => !HeaderName().IsMatch(n)) is { } bad)
        {
            return $"'{bad}' is not a header name (letters, digits, - and _)";
        }

        set([.. names]);
        return null;
    }

    /// <summary>A comma-separated list of header or method names (or <c>*</c>).</summary>
    [GeneratedRegex(@"^\s*(\*|[A-Za-z0-9_-]+)(\s*,\s*(\*|[A-Za-z0-9_-]+))*\s*$")]
    public static partial Regex CorsList();
}
