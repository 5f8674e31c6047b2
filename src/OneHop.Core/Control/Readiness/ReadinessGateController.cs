using System.Collections.Immutable;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using OneHop.Core.Concurrency;
using OneHop.Core.Routing;
using OneHop.Core.Routing.Endpoints;
using OneHop.Core.State;

namespace OneHop.Core.Control.Readiness;

/// <summary>
/// The leader's half of the readiness gate <c>onehop.dev/routed</c>. For every pod that lists the gate, it sets the
/// condition True once every live replica's routed Lease lists the pod's address, and False when the pod's containers
/// stop being ready (so it passes the gate again before it comes back). Once True it stays True while the pod runs: the
/// gate holds a rollout back, it is not a health signal. A gated pod no OneHop Service uses gets the gate opened after
/// <see cref="ReadinessGateOptions.NotServedTimeout"/> (reason <c>NotServedByOneHop</c>, with a warning Event).
/// </summary>
internal sealed partial class ReadinessGateController(
    IKubernetes client,
    ReadinessGateOptions options,
    TimeProvider time,
    ILogger<ReadinessGateController> logger) : ISnapshotConsumer, ILeaderTask
{
    public const string RoutedReason = "RoutedByEveryReplica";
    public const string NotServedReason = "NotServedByOneHop";
    public const string NotReadyReason = "ContainersNotReady";

    private readonly AsyncSignal _changed = new();
    private readonly Dictionary<ObjectKey, (string? ResourceVersion, string Status)> _written = [];
    private volatile PublishedSnapshot? _published;

    public void Apply(PublishedSnapshot published)
    {
        _published = published;
        _changed.Set();
    }

    public async Task RunWhileLeadingAsync(CancellationToken leading)
    {
        _written.Clear();
        while (!leading.IsCancellationRequested)
        {
            try
            {
                await ReconcileAsync(leading).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or IOException)
            {
                Log.Failed(logger, ex.Message);
            }

            await _changed.WaitAsync(options.Interval, time, leading).ConfigureAwait(false);
        }
    }

    /// <summary>One pass: read the replicas' Leases, decide each gated pod's condition, patch what differs.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        if (_published is not { } published || published.Cluster.Pods.IsEmpty)
        {
            return;
        }

        var leases = await client.CoordinationV1.ListNamespacedLeaseAsync(
            options.LeaseNamespace, labelSelector: $"{RoutedLease.GroupLabel}={options.Group}", cancellationToken: cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var replicas = leases.Items.Where(l => RoutedLease.Live(l, now)).Select(RoutedLease.Parse).ToList();
        var served = published.Snapshot.Backends.Concat(published.Snapshot.L4?.Backends ?? [])
            .Where(b => b.Kind == BackendKind.Service)
            .SelectMany(b => b.Endpoints.Select(e => e.Address))
            .ToHashSet(StringComparer.Ordinal);

        foreach (var (key, pod) in published.Cluster.Pods)
        {
            if (!ReadinessGate.Uses(pod) || pod.Metadata.DeletionTimestamp is not null)
            {
                continue;
            }

            var desired = Decide(pod, replicas, served, now);
            if (desired is null)
            {
                continue;
            }

            var current = ReadinessGate.Condition(pod, ReadinessGate.ConditionType);
            if (current?.Status == desired.Value.Status
                || (_written.TryGetValue(key, out var written) && written.ResourceVersion == pod.Metadata.ResourceVersion && written.Status == desired.Value.Status))
            {
                continue;
            }

            await PatchAsync(key, pod, desired.Value, now, cancellationToken).ConfigureAwait(false);
        }

        foreach (var gone in _written.Keys.Where(k => !published.Cluster.Pods.ContainsKey(k)).ToList())
        {
            _written.Remove(gone);
        }
    }

    /// <summary>The condition <paramref name="pod"/> should have, or null to leave it as it is.</summary>
    private (string Status, string Reason, string Message)? Decide(V1Pod pod, List<ImmutableHashSet<string>> replicas, HashSet<string> served, DateTimeOffset now)
    {
        if (!ReadinessGate.Routable(pod))
        {
            return ReadinessGate.Condition(pod, ReadinessGate.ConditionType)?.Status == "True"
                ? ("False", NotReadyReason, "the pod's containers are not ready; it passes the gate again once every OneHop replica routes to it")
                : null;
        }

        var addresses = Addresses(pod);
        if (addresses.Count == 0)
        {
            return null;
        }

        if (addresses.Any(served.Contains))
        {
            return replicas.Count > 0 && replicas.All(r => addresses.Any(r.Contains))
                ? ("True", RoutedReason, $"every live OneHop replica ({replicas.Count}) routes to {string.Join(", ", addresses)}")
                : null;
        }

        var since = ReadinessGate.Condition(pod, "ContainersReady")?.LastTransitionTime ?? pod.Metadata.CreationTimestamp;
        return since is { } start && now - new DateTimeOffset(DateTime.SpecifyKind(start, DateTimeKind.Utc)) >= options.NotServedTimeout
            ? ("True", NotServedReason, $"no Service OneHop serves routes to this pod; the gate opened after {options.NotServedTimeout.TotalSeconds:0} s so the rollout does not wait forever")
            : null;
    }

    private static List<string> Addresses(V1Pod pod)
    {
        var addresses = pod.Status?.PodIPs?.Select(p => p?.Ip).OfType<string>().ToList() ?? [];
        if (addresses.Count == 0 && pod.Status?.PodIP is { Length: > 0 } ip)
        {
            addresses.Add(ip);
        }

        return addresses;
    }

    private async Task PatchAsync(ObjectKey key, V1Pod pod, (string Status, string Reason, string Message) desired, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // A JSON tree, not an anonymous type: serializing that needs reflection, which a Native AOT build does not have.
        var patch = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = ReadinessGate.ConditionType,
                    ["status"] = desired.Status,
                    ["reason"] = desired.Reason,
                    ["message"] = desired.Message,
                    ["lastTransitionTime"] = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                }),
            },
        }.ToJsonString();
        try
        {
            await client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), key.Name, key.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            _written[key] = (pod.Metadata.ResourceVersion, desired.Status);
            Log.Patched(logger, key.ToString(), desired.Status, desired.Reason);
            if (desired.Reason == NotServedReason)
            {
                Log.NotServed(logger, key.ToString(), options.NotServedTimeout.TotalSeconds);
                await EventAsync(pod, desired.Message, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // Deleted since the watch saw it.
        }
    }

    private async Task EventAsync(V1Pod pod, string note, CancellationToken cancellationToken)
    {
        var ns = pod.Metadata.NamespaceProperty ?? "default";
        var body = new Eventsv1Event
        {
            Metadata = new V1ObjectMeta { Name = $"{pod.Metadata.Name}.{time.GetUtcNow().ToUnixTimeMilliseconds():x}", NamespaceProperty = ns },
            EventTime = time.GetUtcNow().UtcDateTime,
            ReportingController = Events.EventRecorderOptions.ReportingController,
            ReportingInstance = options.Identity,
            Action = "OpenReadinessGate",
            Reason = NotServedReason,
            Type = "Warning",
            Note = note,
            Regarding = new V1ObjectReference { ApiVersion = "v1", Kind = "Pod", NamespaceProperty = ns, Name = pod.Metadata.Name, Uid = pod.Metadata.Uid },
        };
        try
        {
            await client.EventsV1.CreateNamespacedEventAsync(body, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex)
        {
            Log.Failed(logger, $"Event on pod {ns}/{pod.Metadata.Name}: {ex.Response.StatusCode}");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(232, LogLevel.Information, "Pod {Pod}: onehop.dev/routed={Status} ({Reason})")]
        public static partial void Patched(ILogger logger, string pod, string status, string reason);

        [LoggerMessage(233, LogLevel.Warning, "Pod {Pod} waits for onehop.dev/routed but no Service OneHop serves routes to it; the gate was opened after {Seconds} s")]
        public static partial void NotServed(ILogger logger, string pod, double seconds);

        [LoggerMessage(234, LogLevel.Warning, "Readiness gate: {Error}; retrying")]
        public static partial void Failed(ILogger logger, string error);
    }
}
