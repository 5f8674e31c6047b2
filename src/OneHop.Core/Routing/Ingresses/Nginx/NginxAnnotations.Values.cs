namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>The value parsers several annotations share: sizes, seconds, flags, paths, headers, hosts, URLs and nginx variable templates.</summary>
internal static partial class NginxAnnotations
{
    private static string? Size(string value) =>
        NginxValues.Size(value) is null ? $"'{value}' is not an nginx size such as 8k, 1m or 0" : null;

    private static string? BodySize(string value, NginxSettingsBuilder settings)
    {
        if (NginxValues.Size(value) is not { } bytes)
        {
            return $"'{value}' is not an nginx size such as 8k, 1m, 2g or 0";
        }

        settings.MaxRequestBodySize = bytes;
        return null;
    }

    /// <summary>Whole seconds, as ingress-nginx's integer timeouts (written to nginx as <c>Ns</c>).</summary>
    private static string? Seconds(string value, Action<TimeSpan> set)
    {
        if (NginxValues.Int(value, 1, 86_400) is not { } seconds)
        {
            return $"'{value}' is not a whole number of seconds from 1 to 86400";
        }

        set(TimeSpan.FromSeconds(seconds));
        return null;
    }

    private static string? Flag(string value, Action<bool> set)
    {
        if (NginxValues.Bool(value) is not { } b)
        {
            return NginxValues.NotBool(value);
        }

        set(b);
        return null;
    }

    private static string? Path(string value, Action<string> set)
    {
        if (!NginxValues.IsPath(value))
        {
            return $"'{value}' is not a path starting with / (no spaces, quotes, query or nginx syntax)";
        }

        set(value);
        return null;
    }

    private static string? Header(string value, Action<string> set, bool name = false)
    {
        if (name && !NginxValues.CookieName().IsMatch(value))
        {
            return $"'{value}' is not an HTTP header name (letters, digits, -, _ and .)";
        }

        if (value.Length == 0 || value.Any(c => c < ' ' || c == 0x7f))
        {
            return "the value must be non-empty and fit in an HTTP header (no control characters)";
        }

        set(value);
        return null;
    }

    private static string? Host(string value, Action<string> set)
    {
        var colon = value.LastIndexOf(':');
        var host = colon > 0 && value.IndexOf(']', StringComparison.Ordinal) < colon ? value[..colon] : value;
        var port = colon > 0 && host.Length != value.Length ? value[(colon + 1)..] : null;
        if (value.Contains('$', StringComparison.Ordinal))
        {
            return $"'{value}' uses an nginx variable; OneHop needs a host name";
        }

        if (Uri.CheckHostName(host.Trim('[', ']')) == UriHostNameType.Unknown || (port is not null && NginxValues.Int(port, 1, 65535) is null))
        {
            return $"'{value}' is not a host name or address, with an optional port";
        }

        set(value);
        return null;
    }

    /// <summary>limit-rate, limit-rate-after: a whole number of KiB, as ingress-nginx reads them (an int it writes with k).</summary>
    private static string? KiB(string value, Action<int> set)
    {
        if (NginxValues.Int(value, 0, int.MaxValue) is not { } kib)
        {
            return $"'{value}' is not a whole number of KiB (1 = 1024 bytes)";
        }

        set(kib);
        return null;
    }

    private static string? Weight(string value, int min, Action<int> set)
    {
        if (NginxValues.Int(value, min, 1_000_000) is not { } weight)
        {
            return $"'{value}' is not a whole number from {min} to 1000000";
        }

        set(weight);
        return null;
    }

    private static string? Template(string value, Action<string> set)
    {
        if (value.Length == 0 || NginxValues.HasUnsafe(value))
        {
            return $"'{value}' is empty or has spaces, quotes or nginx syntax";
        }

        if (RequestTemplate.Parse(value, out var problem) is null)
        {
            return problem;
        }

        set(value);
        return null;
    }

    /// <summary>An absolute http(s) URL, where the variables of <see cref="RequestTemplate"/> may stand for parts of it.</summary>
    private static string? TemplateUrl(string value, Action<string> set)
    {
        value = value.Trim();
        if (Template(value, _ => { }) is { } problem)
        {
            return problem;
        }

        var sample = RequestTemplate.Parse(value, out _)!.Expand(
            static (variable, _, _) => variable switch
            {
                RequestVariable.Scheme => "https",
                RequestVariable.Host or RequestVariable.HttpHost => "app.example.com",
                _ => "/path",
            },
            0);
        if (NginxValues.AbsoluteUrl(sample) is null)
        {
            return $"'{value}' is not an absolute http:// or https:// URL";
        }

        set(value);
        return null;
    }

    private static string? CorsList(string value, Action<string> set)
    {
        if (!NginxValues.CorsList().IsMatch(value))
        {
            return $"'{value}' is not a comma-separated list of names (letters, digits, - and _)";
        }

        set(value);
        return null;
    }

    private static string? Url(string value, Action<Uri> set)
    {
        if (NginxValues.AbsoluteUrl(value) is not { } url)
        {
            return $"'{value}' is not an absolute http:// or https:// URL";
        }

        set(url);
        return null;
    }

    private static string? Code(string value, Action<int> set)
    {
        if (NginxValues.Int(value, 300, 308) is not { } code)
        {
            return $"'{value}' is not a redirect status code from 300 to 308";
        }

        set(code);
        return null;
    }

    /// <summary><c>opentelemetry-operation-name</c>: an empty one keeps the ConfigMap's, as nginx's location inherits it.</summary>
    private static string? OperationName(string value, NginxSettingsBuilder settings)
    {
        if (NginxSpanName.AnnotationProblem(value) is { } problem)
        {
            return problem;
        }

        if (value.Length > 0)
        {
            settings.OpentelemetryOperationName = value;
        }

        return null;
    }

    private static string? OnOff(string value, Action<bool> set)
    {
        if (value is not ("on" or "off"))
        {
            return $"'{value}' is not on or off";
        }

        set(value == "on");
        return null;
    }
}
