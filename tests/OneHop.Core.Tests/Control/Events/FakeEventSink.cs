using System.Net;
using k8s.Autorest;
using k8s.Models;
using OneHop.Core.Control.Events;

namespace OneHop.Core.Tests.Control.Events;

/// <summary>Records what the recorder writes; can answer the next writes with an API error.</summary>
internal sealed class FakeEventSink : IEventSink
{
    private readonly Queue<HttpStatusCode> _failures = new();

    public List<Eventsv1Event> Created { get; } = [];

    public List<(string Namespace, string Name, Eventsv1EventSeries Series)> Patched { get; } = [];

    public int Calls { get; private set; }

    /// <summary>The next write (create or patch) fails with this status.</summary>
    public void FailNext(HttpStatusCode status) => _failures.Enqueue(status);

    public Task CreateAsync(Eventsv1Event body, CancellationToken cancellationToken)
    {
        Calls++;
        ThrowIfFailing();
        Created.Add(body);
        return Task.CompletedTask;
    }

    public Task PatchSeriesAsync(string @namespace, string name, Eventsv1EventSeries series, CancellationToken cancellationToken)
    {
        Calls++;
        ThrowIfFailing();
        Patched.Add((@namespace, name, series));
        return Task.CompletedTask;
    }

    private void ThrowIfFailing()
    {
        if (_failures.TryDequeue(out var status))
        {
            using var response = new HttpResponseMessage(status);
            throw new HttpOperationException($"Operation returned an invalid status code '{status}'")
            {
                Response = new HttpResponseMessageWrapper(response, $"{{\"kind\":\"Status\",\"code\":{(int)status}}}"),
            };
        }
    }
}
