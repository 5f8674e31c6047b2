using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing.Matching;
using OneHop.Core.Routing;

namespace OneHop.Core.Proxy.Http;

/// <summary>Per request: OneHop's route table picks the route; the array maps it to the routing DFA's destination.</summary>
internal sealed class RouteJumpTable(RouteTable table, int[] destinations, int exitDestination) : PolicyJumpTable
{
    public override int GetDestination(HttpContext httpContext)
    {
        var request = httpContext.Request;
        var index = table.MatchIndex(request.Host.Value, request.Path.Value);
        return index == RouteTable.NoMatch ? exitDestination : destinations[index];
    }
}
