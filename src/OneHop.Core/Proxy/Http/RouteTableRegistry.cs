using OneHop.Core.Routing;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// The route tables of recent snapshot versions. YARP applies a config and ASP.NET routing rebuilds its matcher
/// later, on the next request; the matcher then asks for the table of the exact version its routes came from, so
/// matching and YARP's routes always agree.
/// </summary>
internal sealed class RouteTableRegistry
{
    private const int Capacity = 16;
    private readonly object _lock = new();
    private readonly Dictionary<long, RouteTable> _tables = [];
    private readonly Queue<long> _order = new();

    public void Add(long version, RouteTable table)
    {
        lock (_lock)
        {
            if (_tables.TryAdd(version, table))
            {
                _order.Enqueue(version);
            }

            while (_order.Count > Capacity)
            {
                _tables.Remove(_order.Dequeue());
            }
        }
    }

    public RouteTable? Get(long version)
    {
        lock (_lock)
        {
            return _tables.GetValueOrDefault(version);
        }
    }
}
