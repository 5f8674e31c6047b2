using OneHop.Core.Tls;

namespace OneHop.Core.Admin;

/// <summary><c>/api/certificates</c>: every certificate OneHop presents, the hosts it serves and when it expires.</summary>
internal sealed record CertificatesDocument(IReadOnlyList<ServedCertificate> Certificates);
