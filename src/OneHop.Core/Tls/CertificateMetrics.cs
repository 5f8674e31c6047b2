using System.Diagnostics.Metrics;

namespace OneHop.Core.Tls;

/// <summary>
/// When each certificate OneHop presents expires, read at every scrape from the certificate store, so an alert can
/// fire days ahead (<c>onehop_tls_certificate_expiry_timestamp_seconds - time() &lt; 14 * 86400</c>).
/// </summary>
internal static class CertificateMetrics
{
    public static void Register(Meter meter, CertificateStore store) =>
        meter.CreateObservableGauge(
            "onehop.tls.certificate_expiry_timestamp",
            () => store.Current.Served.Select(c => new Measurement<long>(
                c.NotAfter.ToUnixTimeSeconds(),
                new KeyValuePair<string, object?>("certificate", c.Id),
                new KeyValuePair<string, object?>("subject", c.Subject),
                new KeyValuePair<string, object?>("default", c.IsDefault ? "true" : "false"))),
            "s",
            "When a certificate OneHop presents expires (Unix time), by where it came from; default=\"true\" for the one served to unknown SNI names.");
}
