using OneHop.Core.Routing.Ingresses.Nginx;
using OneHop.Core.State;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing.Ingresses.Nginx;

/// <summary><c>onehop migrate</c>'s report over the corpus of ingress-nginx's documentation examples.</summary>
public sealed class NginxMigrationReportTests
{
    private static readonly NginxMigrationReport Report = Of("Corpus");

    private static NginxMigrationReport Of(string directory)
    {
        var state = GoldenCase.Load(Path.Combine(SourceTree.ProjectDirectory, "Routing", "Ingresses", "Nginx", directory)).State;
        return NginxMigrationReport.Of(state.Ingresses.Select(p => (p.Value, state.OriginOf(new ObjectRef(KubeKinds.Ingress, p.Key)))));
    }

    private static NginxAnnotationReport Annotation(string ingress, string name) =>
        Report.Ingresses.Single(i => i.Name == ingress).Annotations.Single(a => a.Annotation == NginxAnnotations.Prefix + name);

    [Fact]
    public void Every_annotation_of_every_ingress_has_its_status_and_note()
    {
        Assert.Equal(NginxAnnotationStatus.Honoured, Annotation("rewrite", "rewrite-target").Status);
        Assert.Equal(NginxAnnotationStatus.Difference, Annotation("rewrite", "use-regex").Status);
        Assert.Equal(NginxAnnotationStatus.Unsupported, Annotation("unsupported", "configuration-snippet").Status);
        Assert.Contains("never executed", Annotation("unsupported", "configuration-snippet").Note, StringComparison.Ordinal);
        Assert.Equal(NginxAnnotationStatus.Unsupported, Annotation("unsupported", "service-upstream").Status);
        Assert.Equal(NginxAnnotationStatus.Unknown, Annotation("unsupported", "made-up-annotation").Status);
        Assert.Equal(NginxAnnotationStatus.Invalid, Annotation("bad-values", "permanent-redirect-code").Status);
        Assert.Contains("'999'", Annotation("bad-values", "permanent-redirect-code").Note, StringComparison.Ordinal);
        Assert.Contains("rewrite.yaml", Report.Ingresses.Single(i => i.Name == "rewrite").Origin, StringComparison.Ordinal);
        Assert.Equal(NginxAnnotationStatus.Difference, Annotation("custom-errors", "custom-http-errors").Status);
        Assert.Equal(NginxAnnotationStatus.Honoured, Annotation("custom-errors", "default-backend").Status);
        Assert.Equal(NginxAnnotationStatus.Difference, Annotation("client-certs-example", "auth-tls-secret").Status);
        Assert.Equal(NginxAnnotationStatus.Honoured, Annotation("client-certs-example", "auth-tls-pass-certificate-to-upstream").Status);
        Assert.Equal(NginxAnnotationStatus.Honoured, Annotation("client-certs-example", "auth-tls-verify-depth").Status);
        Assert.Equal(NginxAnnotationStatus.Difference, Annotation("client-certs-optional", "auth-tls-verify-client").Status);
        Assert.Equal(NginxAnnotationStatus.Difference, Annotation("client-certs-example", "auth-tls-error-page").Status);
        Assert.Equal(NginxAnnotationStatus.Difference, Annotation("mirror-address", "mirror-target").Status);
        Assert.Equal(NginxAnnotationStatus.Honoured, Annotation("aliased", "server-alias").Status);
        Assert.Equal(NginxAnnotationStatus.Honoured, Annotation("mirror-address", "mirror-host").Status);
        Assert.Equal(NginxAnnotationStatus.Difference, Annotation("mirror-address", "mirror-request-body").Status);
        Assert.Equal(NginxAnnotationStatus.Difference, Annotation("redirect-pcre", "proxy-redirect-from").Status);
        Assert.Equal(NginxAnnotationStatus.Difference, Annotation("cookies", "proxy-cookie-domain").Status);
        Assert.Equal(NginxAnnotationStatus.Difference, Annotation("cookies", "proxy-cookie-path").Status);
        Assert.Equal(NginxAnnotationStatus.Invalid, Annotation("cookies-bad", "proxy-cookie-domain").Status);
        Assert.Contains("'localhost' is not off or two domains", Annotation("cookies-bad", "proxy-cookie-domain").Note, StringComparison.Ordinal);
        Assert.Contains("optional_no_ca also lets through", Annotation("client-certs-optional", "auth-tls-verify-client").Note, StringComparison.Ordinal);
    }

    [Fact]
    public void The_summary_counts_and_anything_unsupported_fails_the_run()
    {
        var s = Report.Summary;
        var all = Report.Ingresses.SelectMany(i => i.Annotations).ToList();
        Assert.Equal(Report.Ingresses.Length, s.Ingresses);
        Assert.Equal(all.Count, s.Honoured + s.Difference + s.Unsupported + s.Unknown + s.Invalid);
        Assert.Equal(4, s.Invalid);
        Assert.Equal(1, s.Unknown);
        Assert.Equal(Report.Ingresses.Count(i => !i.Unsupported), s.IngressesFullyServed);
        Assert.True(Report.AnythingUnsupported);
    }

    [Fact]
    public void The_controller_configmap_s_keys_count_as_the_annotations_do()
    {
        var map = new k8s.Models.V1ConfigMap { Data = new Dictionary<string, string> { ["ssl-redirect"] = "false", ["load-balance"] = "ewma" } };
        var served = NginxMigrationReport.Of([], NginxControllerReport.Of(new ObjectKey("ingress-nginx", "controller"), map));
        var nginxOnly = NginxMigrationReport.Of([], NginxControllerReport.Of(new ObjectKey("ingress-nginx", "controller"), new k8s.Models.V1ConfigMap { Data = new Dictionary<string, string> { ["worker-processes"] = "auto" } }));
        var missing = NginxMigrationReport.Of([], NginxControllerReport.Of(new ObjectKey("ingress-nginx", "controller"), null));

        Assert.False(served.AnythingUnsupported);
        Assert.Equal([NginxAnnotationStatus.Honoured, NginxAnnotationStatus.Honoured], served.Controller!.Keys.Select(k => k.Status));
        Assert.Equal(["load-balance", "ssl-redirect"], served.Controller.Keys.Select(k => k.Key)); // in key order
        Assert.True(nginxOnly.AnythingUnsupported);
        Assert.Contains("nginx's own workers", Assert.Single(nginxOnly.Controller!.Keys).Note, StringComparison.Ordinal);
        Assert.True(missing.AnythingUnsupported);
        Assert.False(missing.Controller!.Found);
    }

    [Fact]
    public void Ingresses_that_only_use_what_onehop_serves_pass()
    {
        var served = NginxMigrationReport.Of(Report.Ingresses.Where(i => !i.Unsupported).Select(i => i.Name) is var names
            ? GoldenCase.Load(Path.Combine(SourceTree.ProjectDirectory, "Routing", "Ingresses", "Nginx", "Corpus")).State.Ingresses
                .Where(p => names.Contains(p.Key.Name)).Select(p => (p.Value, ObjectOrigin.Kubernetes))
            : []);
        Assert.False(served.AnythingUnsupported);
        Assert.Contains(served.Ingresses, i => i.Name == "rewrite");
    }

    /// <summary>ingress-nginx's exporter and sampler keys are not read: the report says which flag does their work, with the value.</summary>
    [Theory]
    [InlineData("otlp-collector-host", "otel-coll.otel.svc", "run with --otlp-endpoint http://otel-coll.otel.svc:4318")]
    [InlineData("otel-sampler-ratio", "0.25", "run with --trace-sample-ratio 0.25")]
    [InlineData("otel-sampler", "AlwaysOff", "run without --otlp-endpoint")]
    [InlineData("otlp-collector-port", "4317", "the port is part of --otlp-endpoint")]
    public void A_tracing_key_is_reported_with_the_flag_that_replaces_it(string key, string value, string advice)
    {
        var report = NginxControllerReport.Assess(key, value);
        Assert.Equal(NginxAnnotationStatus.Unsupported, report.Status);
        Assert.StartsWith(NginxConfigMapKeys.ByName[key].Note + ": ", report.Note, StringComparison.Ordinal);
        Assert.Contains(advice, report.Note, StringComparison.Ordinal);
        Assert.Equal(NginxConfigMapKeys.ByName["otel-sampler-ratio"].Note, NginxControllerReport.Assess("otel-sampler-ratio", "half").Note);
    }
}
