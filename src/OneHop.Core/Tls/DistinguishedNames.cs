using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace OneHop.Core.Tls;

/// <summary>
/// A certificate name written as nginx's <c>$ssl_client_s_dn</c> and <c>$ssl_client_i_dn</c> write it (OpenSSL's
/// RFC 2253 printing): most specific part first, <c>,</c> between parts, short attribute names, RFC 2253 escapes.
/// Hand-written because .NET's <see cref="X500DistinguishedName.Decode"/> puts <c>", "</c> between parts and quotes
/// values instead of escaping them, and pods written for ingress-nginx parse nginx's form.
/// </summary>
internal static class DistinguishedNames
{
    public static string Rfc2253(X500DistinguishedName name)
    {
        var text = new StringBuilder();
        foreach (var part in name.EnumerateRelativeDistinguishedNames(reversed: true))
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }

            // A multi-valued part (rare): # and its DER in hex, RFC 2253's form for what is not written as text, where
            // OpenSSL joins the values with +; .NET reads the values of a single-valued part only.
            if (part.HasMultipleElements)
            {
                text.Append(part.RawData.Length == 0 ? string.Empty : "#" + Convert.ToHexString(part.RawData.Span));
                continue;
            }

            text.Append(ShortName(part.GetSingleElementType().Value)).Append('=');
            Escape(text, part.GetSingleElementValue() ?? string.Empty);
        }

        return text.ToString();
    }

    /// <summary>OpenSSL's short names for the attributes certificates use; any other is written as its OID, as RFC 2253 says.</summary>
    private static string ShortName(string? oid) => oid switch
    {
        "2.5.4.3" => "CN",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.9" => "street",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.5" => "serialNumber",
        "2.5.4.12" => "title",
        "2.5.4.4" => "SN",
        "2.5.4.42" => "GN",
        "1.2.840.113549.1.9.1" => "emailAddress",
        "0.9.2342.19200300.100.1.25" => "DC",
        "0.9.2342.19200300.100.1.1" => "UID",
        _ => oid ?? string.Empty,
    };

    /// <summary>
    /// RFC 2253 section 2.4: a backslash before , + " \ &lt; &gt; ; a leading # or space, and a trailing space; control
    /// characters as \XX, as OpenSSL's ASN1_STRFLGS_ESC_CTRL (so no value can end a header line). Other characters stay.
    /// </summary>
    private static void Escape(StringBuilder text, string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c))
            {
                text.Append('\\').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                continue;
            }

            if (c is ',' or '+' or '"' or '\\' or '<' or '>' or ';' || (i == 0 && c is '#' or ' ') || (i == value.Length - 1 && c == ' '))
            {
                text.Append('\\');
            }

            text.Append(c);
        }
    }
}
