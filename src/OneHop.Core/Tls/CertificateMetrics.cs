using Prometheus;

namespace OneHop.Core.Tls;

/// <summary>
/// When each certificate OneHop presents expires, read at every scrape from the certificate store, so an alert can
/// fire days ahead (<c>onehop_tls_certificate_expiry_timestamp_seconds - time() &lt; 14 * 86400</c>).
/// </summary>
internal sealed class CertificateMetrics
{
    private readonly Gauge _expiry;
    private readonly CertificateStore _store;
    private readonly Lock _lock = new();
    private HashSet<(string, string, string)> _published = [];

    public CertificateMetrics(CollectorRegistry registry, CertificateStore store)
    {
        _store = store;
        _expiry = Metrics.WithCustomRegistry(registry).CreateGauge(
            "onehop_tls_certificate_expiry_timestamp_seconds",
            "When a certificate OneHop presents expires (Unix time), by where it came from; default=\"true\" for the one served to unknown SNI names.",
            "certificate", "subject", "default");
        registry.AddBeforeCollectCallback(Refresh);
    }

    /// <summary>Sets the gauge from the current certificates and drops the series of certificates no longer served.</summary>
    public void Refresh()
    {
        lock (_lock)
        {
            var current = new HashSet<(string, string, string)>();
            foreach (var certificate in _store.Current.Served)
            {
                var labels = (certificate.Id, certificate.Subject, certificate.IsDefault ? "true" : "false");
                current.Add(labels);
                _expiry.WithLabels(labels.Id, labels.Subject, labels.Item3).Set(certificate.NotAfter.ToUnixTimeSeconds());
            }

            foreach (var (id, subject, isDefault) in _published.Except(current))
            {
                _expiry.RemoveLabelled(id, subject, isDefault);
            }

            _published = current;
        }
    }
}
