using k8s.Models;

namespace OneHop.Core.Control.Events;

/// <summary>Where Events go: the API server's <c>events.k8s.io/v1</c> resource (<see cref="KubernetesEventSink"/>) or a test's fake.</summary>
internal interface IEventSink
{
    /// <summary>Creates the Event; throws KubernetesClient's <c>HttpOperationException</c> when the API server refuses it.</summary>
    Task CreateAsync(Eventsv1Event body, CancellationToken cancellationToken);

    /// <summary>Moves an existing Event's series on (a merge patch of <c>series</c> only, as client-go sends).</summary>
    Task PatchSeriesAsync(string @namespace, string name, Eventsv1EventSeries series, CancellationToken cancellationToken);
}
