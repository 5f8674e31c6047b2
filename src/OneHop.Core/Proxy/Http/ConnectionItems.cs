using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// <c>HttpContext.Items</c> kept with the connection and emptied for each of its requests. ASP.NET Core's hosting reads
/// Items at the end of every request (whether it went unhandled), and a request without its own creates them: 52 bytes
/// per request (bench/alloc.sh). A connection runs one request at a time, so one dictionary serves them all.
/// </summary>
internal static class ConnectionItems
{
    private static readonly object StateKey = new();

    public static void Attach(HttpContext context)
    {
        if (context.Features.Get<IPersistentStateFeature>()?.State is not { } state)
        {
            return;
        }

        if (state.TryGetValue(StateKey, out var kept) && kept is ItemsFeature items)
        {
            items.Items.Clear();
        }
        else
        {
            items = new ItemsFeature();
            state[StateKey] = items;
        }

        context.Features.Set<IItemsFeature>(items);
    }
}
