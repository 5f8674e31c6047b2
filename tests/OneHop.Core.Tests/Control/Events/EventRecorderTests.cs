using System.Collections.Immutable;
using System.Net;
using System.Text;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OneHop.Core.Configuration;
using OneHop.Core.Control.Events;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;
using OneHop.Core.State;
using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.Tests.Control.Events;

/// <summary>Findings become Events: deduplicated as series, rate-limited per object and overall, retried after API errors.</summary>
public sealed class EventRecorderTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly FakeEventSink _sink = new();
    private EventRecorder _recorder;
    private long _version;

    public EventRecorderTests() =>
        _recorder = new EventRecorder(_sink, new EventRecorderOptions("onehop-abcde"), _time, NullLogger<EventRecorder>.Instance);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_finding_about_an_ingress_becomes_a_warning_event_regarding_it()
    {
        await RecordAsync(Cluster(Ingress("web")), MissingSecret("web"));

        var created = Assert.Single(_sink.Created);
        Assert.Equal(("Warning", "UnknownSecret", "Routing"), (created.Type, created.Reason, created.Action));
        Assert.Equal("spec.tls[0].secretName: Secret prod/missing does not exist", created.Note);
        Assert.Equal(("onehop.dev/onehop", "onehop-abcde"), (created.ReportingController, created.ReportingInstance));
        Assert.Equal(("networking.k8s.io/v1", "Ingress", "prod", "web", "uid-web", "7"), (created.Regarding.ApiVersion, created.Regarding.Kind, created.Regarding.NamespaceProperty, created.Regarding.Name, created.Regarding.Uid, created.Regarding.ResourceVersion));
        Assert.Equal("prod", created.Metadata.NamespaceProperty);
        Assert.StartsWith("web.", created.Metadata.Name, StringComparison.Ordinal);
        Assert.Null(created.Series);

        // A whole second has no fraction, which the API server's MicroTime refuses: it moves on by a microsecond.
        Assert.Equal(Start.UtcDateTime.AddTicks(10), created.EventTime);
    }

    [Fact]
    public async Task The_same_finding_in_later_translations_writes_nothing_more()
    {
        var cluster = Cluster(Ingress("web"));
        for (var i = 0; i < 5; i++)
        {
            await RecordAsync(cluster, MissingSecret("web"));
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Single(_sink.Created);
        Assert.Empty(_sink.Patched);
    }

    [Fact]
    public async Task A_finding_that_persists_moves_its_series_on_at_each_refresh_to_keep_the_event_alive()
    {
        var cluster = Cluster(Ingress("web"));
        await RecordAsync(cluster, MissingSecret("web"));
        _time.Advance(TimeSpan.FromMinutes(29));
        await RecordAsync(cluster, MissingSecret("web"));
        Assert.Empty(_sink.Patched);

        _time.Advance(TimeSpan.FromMinutes(1));
        await RecordAsync(cluster, MissingSecret("web"));

        var (ns, name, series) = Assert.Single(_sink.Patched);
        Assert.Equal(("prod", _sink.Created[0].Metadata.Name), (ns, name));
        Assert.Equal(2, series.Count);
        Assert.Equal(Start.UtcDateTime.AddMinutes(30).AddTicks(10), series.LastObservedTime);
        Assert.Single(_sink.Created);
    }

    [Fact]
    public async Task A_finding_that_goes_away_and_comes_back_counts_again_in_the_same_event()
    {
        var cluster = Cluster(Ingress("web"));
        await RecordAsync(cluster, MissingSecret("web"));
        await RecordAsync(cluster);
        await RecordAsync(cluster, MissingSecret("web"));

        Assert.Single(_sink.Created, e => e.Type == "Warning");
        Assert.Equal(2, Assert.Single(_sink.Patched).Series.Count);
    }

    [Fact]
    public async Task A_series_whose_event_expired_starts_a_new_event()
    {
        var cluster = Cluster(Ingress("web"));
        await RecordAsync(cluster, MissingSecret("web"));
        _time.Advance(TimeSpan.FromMinutes(30));
        _sink.FailNext(HttpStatusCode.NotFound);

        await RecordAsync(cluster, MissingSecret("web"));

        Assert.Equal(2, _sink.Created.Count);
        Assert.NotEqual(_sink.Created[0].Metadata.Name, _sink.Created[1].Metadata.Name);
        Assert.Empty(_sink.Patched);
    }

    [Fact]
    public async Task Informational_findings_and_objects_from_manifest_files_get_no_events()
    {
        var ignored = Diagnostic.Info(DiagnosticCodes.IngressIgnored, "not served: class nginx", new ObjectRef(KubeKinds.Ingress, "prod", "web"));
        await RecordAsync(Cluster(Ingress("web")), ignored);
        await RecordAsync(Cluster(Ingress("web")) with { DefaultOrigin = new ObjectOrigin("manifests", "web.yaml") }, MissingSecret("web"));
        await RecordAsync(Cluster(Ingress("web")), MissingSecret("gone"));

        Assert.Equal(0, _sink.Calls);
    }

    [Fact]
    public async Task Services_and_cluster_scoped_objects_get_events_too_the_latter_in_default()
    {
        var service = new V1Service { Metadata = new V1ObjectMeta { Name = "api", NamespaceProperty = "prod", Uid = "uid-api" } };
        var gatewayClass = new GatewayClass { Metadata = new V1ObjectMeta { Name = "onehop", Uid = "uid-class" } };
        var cluster = ClusterState.Empty with
        {
            Services = ImmutableDictionary<ObjectKey, V1Service>.Empty.Add(new ObjectKey("prod", "api"), service),
            GatewayClasses = ImmutableDictionary<ObjectKey, GatewayClass>.Empty.Add(new ObjectKey(string.Empty, "onehop"), gatewayClass),
        };

        await RecordAsync(
            cluster,
            Diagnostic.Warning(DiagnosticCodes.InvalidAnnotation, "bad value", new ObjectRef(KubeKinds.Service, "prod", "api")),
            Diagnostic.Error(DiagnosticCodes.InvalidGatewayListener, "bad listener", new ObjectRef(KubeKinds.GatewayClass, string.Empty, "onehop")));

        Assert.Equal([("prod", "Service"), ("default", "GatewayClass")], _sink.Created.Select(e => (e.Metadata.NamespaceProperty, e.Regarding.Kind)));
        Assert.Null(_sink.Created[1].Regarding.NamespaceProperty);
    }

    [Fact]
    public async Task One_object_gets_its_burst_then_one_event_per_interval()
    {
        _recorder = new EventRecorder(_sink, new EventRecorderOptions("onehop-abcde") { GlobalBurst = 100 }, _time, NullLogger<EventRecorder>.Instance);
        var findings = Enumerable.Range(0, 30).Select(i => Diagnostic.Error(DiagnosticCodes.InvalidPath, $"path {i} is bad", new ObjectRef(KubeKinds.Ingress, "prod", "web"))).ToArray();
        var cluster = Cluster(Ingress("web"), Ingress("other"));
        Diagnostic[] all = [.. findings, MissingSecret("other")];

        await RecordAsync(cluster, all);
        Assert.Equal(26, _sink.Created.Count);
        Assert.Single(_sink.Created, e => e.Regarding.Name == "other");

        _time.Advance(TimeSpan.FromMinutes(5));
        await RecordAsync(cluster, all);
        Assert.Equal(27, _sink.Created.Count);
        await RecordAsync(cluster, all);
        Assert.Equal(27, _sink.Created.Count);
    }

    [Fact]
    public async Task All_objects_together_get_the_global_burst_then_five_writes_a_second()
    {
        var names = Enumerable.Range(0, 40).Select(i => $"site-{i:00}").ToArray();
        var cluster = Cluster([.. names.Select(Ingress)]);
        Diagnostic[] findings = [.. names.Select(MissingSecret)];

        await RecordAsync(cluster, findings);
        Assert.Equal(25, _sink.Created.Count);

        _time.Advance(TimeSpan.FromSeconds(1));
        await RecordAsync(cluster, findings);
        Assert.Equal(30, _sink.Created.Count);
    }

    [Fact]
    public async Task An_api_failure_pauses_writing_then_the_event_is_written()
    {
        var cluster = Cluster(Ingress("web"));
        _sink.FailNext(HttpStatusCode.InternalServerError);
        await RecordAsync(cluster, MissingSecret("web"));
        await RecordAsync(cluster, MissingSecret("web"));
        Assert.Equal(1, _sink.Calls);

        _time.Advance(TimeSpan.FromSeconds(1));
        await RecordAsync(cluster, MissingSecret("web"));

        Assert.Single(_sink.Created);
        Assert.Equal(2, _sink.Calls);
    }

    [Fact]
    public async Task Repeated_failures_double_the_pause()
    {
        var cluster = Cluster(Ingress("web"));
        _sink.FailNext(HttpStatusCode.Forbidden);
        _sink.FailNext(HttpStatusCode.Forbidden);
        await RecordAfterAsync(TimeSpan.Zero, cluster);
        await RecordAfterAsync(TimeSpan.FromSeconds(1), cluster);
        await RecordAfterAsync(TimeSpan.FromSeconds(1.9), cluster);
        Assert.Equal(2, _sink.Calls);

        await RecordAfterAsync(TimeSpan.FromSeconds(0.1), cluster);

        Assert.Single(_sink.Created);
    }

    [Fact]
    public async Task An_event_the_api_server_refuses_is_not_retried_until_the_next_refresh()
    {
        var cluster = Cluster(Ingress("web"));
        _sink.FailNext(HttpStatusCode.UnprocessableEntity);
        await RecordAfterAsync(TimeSpan.Zero, cluster);
        await RecordAfterAsync(TimeSpan.FromMinutes(1), cluster);

        Assert.Equal(1, _sink.Calls);
        await RecordAfterAsync(TimeSpan.FromMinutes(29), cluster);
        Assert.Single(_sink.Created);
    }

    [Fact]
    public async Task An_object_that_becomes_fine_gets_one_normal_resolved_event()
    {
        var cluster = Cluster(Ingress("web"));
        await RecordAsync(cluster, MissingSecret("web"));
        await RecordAsync(cluster);
        await RecordAsync(cluster);

        var resolved = Assert.Single(_sink.Created, e => e.Type == "Normal");
        Assert.Equal(("Resolved", "web"), (resolved.Reason, resolved.Regarding.Name));
    }

    [Fact]
    public async Task An_ingress_that_is_no_longer_served_gets_no_resolved_event()
    {
        await RecordAsync(Cluster(Ingress("web")), MissingSecret("web"));
        await RecordAsync(Cluster(Ingress("web")), served: []);

        Assert.DoesNotContain(_sink.Created, e => e.Type == "Normal");
    }

    [Fact]
    public async Task A_note_longer_than_the_api_server_takes_is_cut_on_a_character()
    {
        var message = string.Concat(Enumerable.Repeat("é", 600));
        await RecordAsync(Cluster(Ingress("web")), Diagnostic.Error(DiagnosticCodes.InvalidAnnotation, message, new ObjectRef(KubeKinds.Ingress, "prod", "web")));

        var note = Assert.Single(_sink.Created).Note;
        Assert.True(Encoding.UTF8.GetByteCount(note) <= 1024);
        Assert.EndsWith("é…", note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Taking_a_translation_in_never_waits_for_the_api_server()
    {
        var blocked = new TaskCompletionSource();
        var recorder = new EventRecorder(new BlockingSink(blocked.Task), new EventRecorderOptions("onehop-abcde"), _time, NullLogger<EventRecorder>.Instance);
        recorder.Apply(Published(Cluster(Ingress("web")), [.. Served("web")], MissingSecret("web")));
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        var running = recorder.RunWhileLeadingAsync(leading.Token);

        for (var i = 0; i < 100; i++)
        {
            recorder.Apply(Published(Cluster(Ingress("web")), [.. Served("web")], MissingSecret("web")));
        }

        Assert.False(running.IsCompleted);
        blocked.SetResult();
        await leading.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    /// <summary>Lets <paramref name="delay"/> pass, then records the web Ingress's missing Secret.</summary>
    private Task RecordAfterAsync(TimeSpan delay, ClusterState cluster)
    {
        _time.Advance(delay);
        return RecordAsync(cluster, MissingSecret("web"));
    }

    private Task RecordAsync(ClusterState cluster, params Diagnostic[] diagnostics) =>
        RecordAsync(cluster, [.. cluster.Ingresses.Keys.Select(k => new ObjectRef(KubeKinds.Ingress, k))], diagnostics);

    private async Task RecordAsync(ClusterState cluster, ImmutableArray<ObjectRef> served, params Diagnostic[] diagnostics)
    {
        _recorder.Apply(Published(cluster, served, diagnostics));
        await _recorder.ReconcileAsync(Cancel);
    }

    private PublishedSnapshot Published(ClusterState cluster, ImmutableArray<ObjectRef> served, params Diagnostic[] diagnostics) =>
        new(++_version, RoutingSnapshot.Empty, OneHopConfig.Default, cluster, served) { Diagnostics = [.. diagnostics] };

    private static IEnumerable<ObjectRef> Served(params string[] names) => names.Select(n => new ObjectRef(KubeKinds.Ingress, "prod", n));

    private static Diagnostic MissingSecret(string ingress) =>
        Diagnostic.Error(DiagnosticCodes.UnknownSecret, "Secret prod/missing does not exist", new ObjectRef(KubeKinds.Ingress, "prod", ingress), ObjectOrigin.Kubernetes, "spec.tls[0].secretName");

    private static V1Ingress Ingress(string name) =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "prod", Uid = $"uid-{name}", ResourceVersion = "7" } };

    private static ClusterState Cluster(params V1Ingress[] ingresses) =>
        ClusterState.Empty with { Ingresses = ingresses.ToImmutableDictionary(i => new ObjectKey("prod", i.Metadata.Name), i => i) };

    private sealed class BlockingSink(Task released) : IEventSink
    {
        public Task CreateAsync(Eventsv1Event body, CancellationToken cancellationToken) => released.WaitAsync(cancellationToken);

        public Task PatchSeriesAsync(string @namespace, string name, Eventsv1EventSeries series, CancellationToken cancellationToken) => released.WaitAsync(cancellationToken);
    }
}
