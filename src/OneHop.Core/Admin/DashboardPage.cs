using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace OneHop.Core.Admin;

/// <summary>
/// The dashboard: one self-contained HTML page (styles and script inline, no external asset, so it works air-gapped),
/// embedded in the assembly. Served with a strict Content-Security-Policy that admits exactly its own inline script
/// and style by hash, and only same-origin fetches (the event stream); revalidated by ETag on every load.
/// </summary>
internal static partial class DashboardPage
{
    private const string ResourceName = "OneHop.Core.Admin.Dashboard.html";

    private static readonly Lazy<Page> Loaded = new(Load);

    /// <summary>The policy sent with the page: inline code only by its hash, nothing from elsewhere.</summary>
    public static string ContentSecurityPolicy => Loaded.Value.Policy;

    public static Task ServeAsync(HttpContext context)
    {
        var page = Loaded.Value;
        var headers = context.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.ETag = page.ETag;
        headers.ContentSecurityPolicy = page.Policy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        if (context.Request.Headers.IfNoneMatch == page.ETag)
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.ContentLength = page.Html.Length;
        return context.Response.Body.WriteAsync(page.Html, context.RequestAborted).AsTask();
    }

    private static Page Load()
    {
        using var stream = typeof(DashboardPage).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing from the build");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var html = buffer.ToArray();
        var text = Encoding.UTF8.GetString(html);
        var scripts = string.Join(' ', ScriptPattern().Matches(text).Select(m => Hash(m.Groups[1].Value)));
        var styles = string.Join(' ', StylePattern().Matches(text).Select(m => Hash(m.Groups[1].Value)));
        var policy = $"default-src 'none'; script-src {scripts}; style-src {styles}; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        return new Page(html, $"\"{Convert.ToHexStringLower(SHA256.HashData(html))[..16]}\"", policy);
    }

    private static string Hash(string inline) => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(inline)))}'";

    [GeneratedRegex("<script>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ScriptPattern();

    [GeneratedRegex("<style>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StylePattern();

    private sealed record Page(byte[] Html, string ETag, string Policy);
}
