using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace OneHop.Core.Tls;

/// <summary>
/// The URI entries of a certificate's subjectAltName extension (e.g. SPIFFE ids, <c>spiffe://example.com/web</c>), which
/// .NET's <see cref="X509SubjectAlternativeNameExtension"/> does not enumerate: GeneralName <c>[6] IA5String</c> (RFC 5280).
/// </summary>
internal static class CertificateUris
{
    private const string SubjectAltNameOid = "2.5.29.17";
    private static readonly Asn1Tag UriTag = new(TagClass.ContextSpecific, 6);

    /// <summary>The certificate's URI SANs, as written; none when it has no SAN extension or it cannot be read.</summary>
    public static List<string> Of(X509Certificate2 certificate)
    {
        var uris = new List<string>();
        foreach (var extension in certificate.Extensions)
        {
            if (extension.Oid?.Value != SubjectAltNameOid)
            {
                continue;
            }

            try
            {
                var names = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
                while (names.HasData)
                {
                    if (names.PeekTag().HasSameClassAndValue(UriTag))
                    {
                        uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, UriTag));
                    }
                    else
                    {
                        names.ReadEncodedValue();
                    }
                }
            }
            catch (AsnContentException)
            {
                // A malformed extension names nothing: a policy that asks for a URI then refuses the certificate.
            }
        }

        return uris;
    }
}
