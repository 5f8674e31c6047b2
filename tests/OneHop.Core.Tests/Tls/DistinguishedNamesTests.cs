using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using OneHop.Core.Tls;

namespace OneHop.Core.Tests.Tls;

/// <summary>Names written as nginx's $ssl_client_s_dn (OpenSSL's RFC 2253 printing), which pods behind ingress-nginx parse.</summary>
public sealed class DistinguishedNamesTests
{
    /// <param name="encoded">The name's parts in certificate (ASN.1) order, most general first, as OIDs and values.</param>
    [Theory]
    [InlineData("CN=partner-1", "2.5.4.3=partner-1")]
    [InlineData("CN=partner-1,OU=Payments,O=Example GmbH,C=DE", "2.5.4.6=DE", "2.5.4.10=Example GmbH", "2.5.4.11=Payments", "2.5.4.3=partner-1")] // most specific first
    [InlineData("CN=Doe\\, John,emailAddress=john@example.com", "1.2.840.113549.1.9.1=john@example.com", "2.5.4.3=Doe, John")]
    [InlineData("CN=a\\+b\\;c\\<d\\>\\\"e\\\\,O=\\ padded\\ ,OU=\\#1", "2.5.4.11=#1", "2.5.4.10= padded ", "2.5.4.3=a+b;c<d>\"e\\")]
    [InlineData("CN=evil\\0D\\0Ainjected: yes", "2.5.4.3=evil\r\ninjected: yes")] // control characters escaped: never a new header line
    [InlineData("UID=jdoe,DC=example,DC=com,2.5.4.65=pseudo", "2.5.4.65=pseudo", "0.9.2342.19200300.100.1.25=com", "0.9.2342.19200300.100.1.25=example", "0.9.2342.19200300.100.1.1=jdoe")]
    public void A_name_is_written_as_nginx_writes_it(string expected, params string[] encoded)
    {
        // Written with AsnWriter, so that the test says the order of the encoding, whatever order .NET's parsers and builders take.
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var part in encoded)
            {
                var equals = part.IndexOf('=', StringComparison.Ordinal);
                using (writer.PushSetOf())
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(part[..equals]);
                    writer.WriteCharacterString(UniversalTagNumber.UTF8String, part[(equals + 1)..]);
                }
            }
        }

        Assert.Equal(expected, DistinguishedNames.Rfc2253(new X500DistinguishedName(writer.Encode())));
    }
}
