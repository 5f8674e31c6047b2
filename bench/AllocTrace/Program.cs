// Where a process's allocations come from, from a dotnet-trace file of GC allocation ticks:
//   dotnet-trace collect -p PID --providers Microsoft-Windows-DotNETRuntime:0x1:5 -o FILE.nettrace
//   alloctrace FILE.nettrace [REQUESTS] [FRAMES]
// The runtime raises one tick per ~100 KB allocated, naming the type of the object that crossed the line and its
// stack, so each tick stands for its AllocationAmount64 bytes: a sample, good for sources that allocate per request.
// With REQUESTS (the requests served while tracing) every figure is also given per request. Allocation sites are
// the first FRAMES (default 4) managed frames below the runtime's own allocation helpers.
using System.Globalization;
using Microsoft.Diagnostics.Tracing.Etlx;

if (args.Length == 0)
{
    Console.Error.WriteLine("usage: alloctrace FILE.nettrace [REQUESTS] [FRAMES]");
    return 2;
}

var requests = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 0;
var depth = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 4;
var etlx = TraceLog.CreateFromEventPipeDataFile(args[0]);
using var log = new TraceLog(etlx);
var source = log.Events.GetSource();
var byType = new Dictionary<string, long>();
var bySite = new Dictionary<string, long>();
long total = 0;
source.Clr.GCAllocationTick += tick =>
{
    var bytes = tick.AllocationAmount64;
    total += bytes;
    var type = tick.TypeName ?? "?";
    byType[type] = byType.GetValueOrDefault(type) + bytes;
    var frames = new List<string>();
    for (var frame = tick.CallStack(); frame is not null && frames.Count < depth; frame = frame.Caller)
    {
        var name = frame.CodeAddress.FullMethodName;
        if (string.IsNullOrEmpty(name) || IsAllocationHelper(name))
        {
            continue;
        }

        frames.Add(Shorten(name));
    }

    var site = type + "\n      " + (frames.Count == 0 ? "(no managed frame)" : string.Join("\n      ← ", frames));
    bySite[site] = bySite.GetValueOrDefault(site) + bytes;
};
source.Process();

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sampled {total:N0} bytes{(requests > 0 ? $" over {requests:N0} requests: {total / requests:N0} B/request" : "")}"));
Print("by type", byType, 20);
Print("by allocation site", bySite, 30);
return 0;

void Print(string title, Dictionary<string, long> table, int top)
{
    Console.WriteLine();
    Console.WriteLine(title + (requests > 0 ? " (B/request, share)" : " (bytes, share)"));
    foreach (var (key, bytes) in table.OrderByDescending(p => p.Value).Take(top))
    {
        var figure = requests > 0 ? bytes / requests : bytes;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{figure,10:N0} {100.0 * bytes / total,5:F1}%  {key}"));
    }
}

static bool IsAllocationHelper(string name) =>
    name.StartsWith("System.GC.", StringComparison.Ordinal) || name.Contains("JIT_New", StringComparison.Ordinal)
    || name.StartsWith("System.Runtime.CompilerServices.RuntimeHelpers.", StringComparison.Ordinal);

// Parameter lists make sites unreadable and add nothing for telling them apart.
static string Shorten(string name)
{
    var open = name.IndexOf('(', StringComparison.Ordinal);
    return open > 0 ? name[..open] : name;
}
