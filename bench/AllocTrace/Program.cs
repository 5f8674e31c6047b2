// Where a process's allocations come from, from a dotnet-trace file of GC allocation ticks:
//   dotnet-trace collect -p PID --providers Microsoft-Windows-DotNETRuntime:0x1:5 -o FILE.nettrace
//   alloctrace FILE.nettrace [REQUESTS] [FRAMES]
// It also lists the window's garbage collections: generation, reason, pause.
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
// Each collection in the window: why the runtime started it, how long managed threads were stopped for it, and the
// GC's condemn reasons (bit fields of the runtime's gc/gcrecord.h: 2 bits per gc_condemn_reason_gen, then one bit per
// gc_condemn_reason_condition; e.g. 0x8/0x820 = gen2 chosen per heap, for low card-marking efficiency and max_gen1).
var collections = new List<string>();
var suspended = 0.0;
(int Depth, string Reason, double Start)? current = null;
source.Clr.GCSuspendEEStart += e => suspended = e.TimeStampRelativeMSec;
source.Clr.GCStart += e => current = (e.Depth, e.Reason.ToString(), suspended);
var reasons = "";
source.Clr.GCPerHeapHistory += e => reasons = string.Create(CultureInfo.InvariantCulture, $"condemn reasons 0x{e.CondemnReasons0:x}/0x{e.CondemnReasons1:x}");
source.Clr.GCRestartEEStop += e =>
{
    if (current is { } gc)
    {
        collections.Add(string.Create(CultureInfo.InvariantCulture, $"  at {gc.Start / 1000,6:F1} s  gen{gc.Depth}  {gc.Reason,-18} paused {e.TimeStampRelativeMSec - gc.Start,6:F2} ms  {reasons}"));
        current = null;
        reasons = "";
    }
};
source.Process();

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sampled {total:N0} bytes{(requests > 0 ? $" over {requests:N0} requests: {total / requests:N0} B/request" : "")}"));
Print("by type", byType, 20);
Print("by allocation site", bySite, 30);
Console.WriteLine();
Console.WriteLine($"garbage collections ({collections.Count})");
collections.ForEach(Console.WriteLine);
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
