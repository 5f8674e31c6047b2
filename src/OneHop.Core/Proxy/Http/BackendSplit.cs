using Microsoft.AspNetCore.Http;
using OneHop.Core.Balancing;
using OneHop.Core.Concurrency;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Health;
using OneHop.Core.Routing;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// A route's weighted backends as the request path reads them: a cumulative weight per share, picked by one random
/// number. A share without a backend is a reference that did not resolve; its requests are answered 500. A request
/// whose affinity cookie names an endpoint of a backend that balances by cookie stays with that backend
/// (<see cref="Pinned"/>), as ingress-nginx keeps a session on its canary or its main Service.
/// </summary>
internal sealed class BackendSplit
{
    private readonly Share[] _shares;
    private readonly int _total;
    private readonly bool _affinity;

    public BackendSplit(IEnumerable<RouteBackend> backends, IReadOnlyDictionary<string, BackendState> states)
    {
        var shares = new List<Share>();
        foreach (var backend in backends.Where(b => b.Weight > 0))
        {
            _total += backend.Weight;
            var state = backend.BackendId is { } id ? states.GetValueOrDefault(id) : null;
            shares.Add(new Share(_total, state, backend.Problem ?? (state is null ? "the backend does not exist" : null), backend.Filters));
        }

        _shares = [.. shares];
        _affinity = _shares.Any(s => s.Backend?.Policy.LoadBalancing == BalancingAlgorithms.Cookie);
    }

    /// <summary>
    /// The backend, in share order, whose affinity cookie in <paramref name="request"/> names one of its available
    /// endpoints; null when none does (then <see cref="Pick"/> draws).
    /// </summary>
    /// <remarks>The request's cookies are parsed only when some backend of the split balances by cookie.</remarks>
    public BackendState? Pinned(HttpRequest request, CookieAffinityPicker affinity, out RouteFilters? filters)
    {
        filters = null;
        if (!_affinity)
        {
            return null;
        }

        var cookies = request.Cookies;
        foreach (var share in _shares)
        {
            if (share.Backend is { Policy.LoadBalancing: BalancingAlgorithms.Cookie } backend
                && cookies[backend.Policy.AffinityCookie] is { Length: > 0 } token && affinity.Pins(backend, token))
            {
                filters = share.Filters;
                return backend;
            }
        }

        return null;
    }

    /// <summary>The backends that may take traffic (weight above zero, resolved).</summary>
    public IEnumerable<BackendState> Backends => _shares.Where(s => s.Backend is not null).Select(s => s.Backend!);

    /// <summary>The chosen backend, or null and why (a share that does not resolve, or no weight at all).</summary>
    /// <param name="filters">The chosen backendRef's own filters (header edits, URLRewrite, RequestRedirect); null for none.</param>
    public BackendState? Pick(IRandomSource random, out string? problem, out RouteFilters? filters)
    {
        filters = null;
        if (_total == 0)
        {
            problem = "every backend of the rule has weight 0 or none is given";
            return null;
        }

        var ticket = random.Next(_total);
        foreach (var share in _shares)
        {
            if (ticket < share.UpTo)
            {
                problem = share.Problem;
                filters = share.Filters;
                return share.Backend;
            }
        }

        problem = null;
        filters = _shares[^1].Filters;
        return _shares[^1].Backend;
    }

    private readonly record struct Share(int UpTo, BackendState? Backend, string? Problem, RouteFilters? Filters);
}
