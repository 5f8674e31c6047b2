using System.Collections.Immutable;
using OneHop.Core.Diagnostics;
using OneHop.Core.State;
using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.Routing.GatewayApi;

/// <summary>
/// ListenerSets: a Gateway whose <c>spec.allowedListeners</c> lets a ListenerSet's namespace in takes its listeners after
/// its own, ListenerSets oldest first (then by namespace/name), each validated against the valid listeners before it; a
/// ListenerSet with no valid listener is not accepted, and its listeners are not served.
/// </summary>
internal sealed partial class GatewayListeners
{
    /// <summary>The Gateway of a ListenerSet that names one of OneHop's Gateways; null for any other.</summary>
    public ObjectKey? GatewayOfSet(ObjectKey set) => _sets.TryGetValue(set, out var s) ? s.Gateway : null;

    /// <summary>The ListenerSets' status: Accepted and Programmed, and per listener its conditions and attachedRoutes.</summary>
    public ImmutableArray<GatewayStatusReport> SetReports() =>
    [
        .. _sets.OrderBy(p => p.Key).Select(p =>
        {
            var reference = new ObjectRef(KubeKinds.ListenerSet, p.Key);
            var attachable = p.Value.Accepted ? _byGateway[p.Value.Gateway].Where(l => l.Set == reference).ToDictionary(l => l.Name, StringComparer.Ordinal) : [];
            return new GatewayStatusReport(reference, p.Value.Set.Metadata?.Generation, p.Value.Conditions, ListenerStatuses(p.Value.Listeners, attachable));
        }),
    ];

    private void AttachListenerSets(Scope scope, Gateway gateway, List<GatewayListener> before, bool parentAccepted)
    {
        var key = scope.Gateway.Key;
        var sets = scope.State.ListenerSets
            .Where(p => p.Value.Spec?.ParentRef is { } parent && (parent.Group ?? GatewayApiNames.Group) == GatewayApiNames.Group
                && (parent.Kind ?? KubeKinds.Gateway) == KubeKinds.Gateway && (parent.Namespace ?? p.Key.Namespace) == key.Namespace && parent.Name == key.Name)
            .OrderBy(p => p.Value.Metadata?.CreationTimestamp ?? DateTime.MinValue)
            .ThenBy(p => p.Key);
        foreach (var (setKey, set) in sets)
        {
            var reference = new ObjectRef(KubeKinds.ListenerSet, setKey);
            var origin = scope.State.OriginOf(reference);
            var refusal = !Allows(scope.State, gateway.Spec.AllowedListeners, key.Namespace, setKey.Namespace)
                ? ("NotAllowed", $"Gateway {key}'s spec.allowedListeners does not let ListenerSets of namespace {setKey.Namespace} in")
                : !parentAccepted ? ("ParentNotAccepted", $"Gateway {key} is not accepted or serves none of its listeners")
                : ((string Reason, string Message)?)null;
            if (refusal is { } refused)
            {
                scope.Diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidGatewayListener, refused.Message, reference, origin, "spec.parentRef"));
                _sets[setKey] = (set, key, false, [GatewayCondition.False("Accepted", refused.Reason, refused.Message), GatewayCondition.False("Programmed", refused.Reason, refused.Message)], []);
                continue;
            }

            var first = scope.Listeners.Count;
            var served = before.Count;
            var reports = Validate(scope, reference, origin, [.. (set.Spec.Listeners ?? []).Select(l => l ?? new GatewayListener())], before);

            // A listener whose references do not resolve does not count: a ListenerSet of none else is not accepted.
            var valid = scope.Listeners.Skip(first).Count(l => reports.First(r => r.Name == l.Name).Conditions.All(c => c.Type != "ResolvedRefs" || c.Status));
            if (valid == 0)
            {
                // Not accepted: its listeners are not served, and later ListenerSets' are not measured against them.
                scope.Listeners.RemoveRange(first, scope.Listeners.Count - first);
                before.RemoveRange(served, before.Count - served);
                const string message = "none of its listeners is valid";
                _sets[setKey] = (set, key, false, [GatewayCondition.False("Accepted", "ListenersNotValid", message), GatewayCondition.False("Programmed", "ListenersNotValid", message)], reports);
                continue;
            }

            ImmutableArray<GatewayCondition> conditions = reports.Count == scope.Listeners.Count - first
                ? [GatewayCondition.True("Accepted", "Accepted"), GatewayCondition.True("Programmed", "Programmed")]
                : [GatewayCondition.True("Accepted", "ListenersNotValid", "some listeners are not valid; the others serve"), GatewayCondition.True("Programmed", "Programmed")];
            _sets[setKey] = (set, key, true, conditions, reports);
        }
    }

    /// <summary>Whether <c>spec.allowedListeners</c> lets ListenerSets of <paramref name="setNamespace"/> in: None (the default), Same, All or Selector.</summary>
    private static bool Allows(ClusterState state, AllowedListeners? allowed, string gatewayNamespace, string setNamespace) => allowed?.Namespaces?.From switch
    {
        "All" => true,
        "Same" => setNamespace == gatewayNamespace,
        "Selector" => NamespaceSelector.Selects(allowed.Namespaces.Selector, state, setNamespace),
        _ => false,
    };

    /// <summary>What the listeners of a Gateway and of its ListenerSets are validated in: the Gateway's settings, and where valid ones go.</summary>
    private sealed record Scope(
        ClusterState State,
        ObjectRef Gateway,
        FrontendValidations Frontend,
        GatewayAddresses.Verdict Addresses,
        BackendClientCertificate? BackendCertificate,
        List<AttachableListener> Listeners,
        List<Diagnostic> Diagnostics);
}
