using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace OneHop.Core.Proxy.Http1;

/// <summary>
/// Copies a validated final response head to the client's response: status, a reason phrase that differs from the
/// standard one, and every end-to-end field (a repeated field, such as Set-Cookie, as separate values). Interim 1xx
/// heads are skipped (a 101 only when the request asked to upgrade). Kestrel frames the answer to the client itself.
/// </summary>
internal struct Http1ResponseCopier(HttpResponse response, Http1HeaderStrings strings, bool upgrade) : IHttp1HeaderSink
{
    private bool _final;
    private int _index;

    /// <summary>True once the client's response was changed (to be cleared if the attempt fails before it starts).</summary>
    public bool Touched { get; private set; }

    public void Status(int statusCode, ReadOnlySpan<byte> reason)
    {
        _final = statusCode >= 200 || (statusCode == 101 && upgrade);
        _index = 0;
        if (!_final)
        {
            return;
        }

        Touched = true;
        response.StatusCode = statusCode;
        if (!reason.IsEmpty && !Ascii.Equals(reason, ReasonPhrases.GetReasonPhrase(statusCode))
            && response.HttpContext.Features.Get<IHttpResponseFeature>() is { } feature)
        {
            feature.ReasonPhrase = Encoding.Latin1.GetString(reason);
        }
    }

    public void Header(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        if (!_final)
        {
            return;
        }

        response.Headers.Append(strings.Name(_index, name), strings.Value(_index, value));
        _index++;
    }
}
