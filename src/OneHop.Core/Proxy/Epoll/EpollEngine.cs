using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OneHop.Core.Proxy.Epoll;

/// <summary>
/// The process's epoll loops, one per core as .NET's socket engine has with inline completions; sockets are spread over
/// them in turn. Process-wide and never stopped, like .NET's: the loops' threads are background threads that wait in
/// the kernel when there is nothing to do.
/// </summary>
internal sealed class EpollEngine
{
    private static readonly Lazy<EpollEngine> SharedEngine = new(() => new EpollEngine(Environment.ProcessorCount));
    private readonly EpollLoop[] _loops;
    private uint _next;

    private EpollEngine(int loops) =>
        _loops = [.. Enumerable.Range(0, Math.Max(1, loops)).Select(i => new EpollLoop($"OneHop epoll {i}", this))];

    /// <summary>Where the transport reports what it survives (a failed accept, an exception out of a continuation); the host sets it.</summary>
    public ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>True on Linux on x86-64 and arm64, the platforms whose <c>epoll_event</c> layout the transport knows.</summary>
    public static bool IsSupported =>
        OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    public static EpollEngine Shared => IsSupported ? SharedEngine.Value : throw new PlatformNotSupportedException("The epoll transport runs on Linux (x86-64, arm64) only.");

    /// <summary>The transport <c>run</c> uses unless told otherwise: epoll where it runs, .NET's sockets elsewhere.</summary>
    public static TransportKind DefaultTransport => IsSupported ? TransportKind.Epoll : TransportKind.Sockets;

    /// <summary>The loop the next socket goes to.</summary>
    public EpollLoop Next() => _loops[Interlocked.Increment(ref _next) % (uint)_loops.Length];
}
