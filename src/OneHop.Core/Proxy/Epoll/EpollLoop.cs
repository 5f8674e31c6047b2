using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace OneHop.Core.Proxy.Epoll;

/// <summary>
/// One epoll instance and the thread that waits on it, as .NET's own socket engine has, but edge-triggered for the
/// transport's own sockets. Each registration holds a slot; an event carries the slot and its generation, so an event
/// that comes after its socket was closed (and the slot given to another) is dropped instead of misdelivered. Events
/// are handled on the loop's thread: a waiter's continuation runs there (inline I/O).
/// </summary>
internal sealed unsafe partial class EpollLoop
{
    private const int MaxEvents = 256;

    private readonly int _epoll;
    private readonly Lock _lock = new();
    private readonly Stack<int> _free = new();
    private EpollTarget?[] _targets = new EpollTarget?[64];
    private int[] _generations = new int[64];
    private int _used;

    private readonly EpollEngine _engine;

    public EpollLoop(string name, EpollEngine engine)
    {
        _engine = engine;
        _epoll = EpollNative.EpollCreate(EpollNative.EpollCloexec);
        if (_epoll < 0)
        {
            throw SocketErrors.Exception(Marshal.GetLastPInvokeError());
        }

        new Thread(Run) { IsBackground = true, Name = name }.Start();
    }

    /// <summary>Adds <paramref name="fd"/>, edge-triggered for reads, writes and the peer's close; returns the token <see cref="Remove"/> takes.</summary>
    public long Add(SafeHandle fd, EpollTarget target)
    {
        long token;
        lock (_lock)
        {
            if (!_free.TryPop(out var slot))
            {
                slot = _used++;
                if (slot == _targets.Length)
                {
                    var grown = new EpollTarget?[_targets.Length * 2];
                    _targets.CopyTo(grown, 0);
                    Array.Resize(ref _generations, grown.Length);
                    Volatile.Write(ref _targets, grown);
                }
            }

            var generation = ++_generations[slot];
            token = ((long)generation << 32) | (uint)slot;
            target.Token = token;
            Volatile.Write(ref _targets[slot], target);
        }

        var ev = stackalloc byte[16];
        *(uint*)ev = EpollNative.In | EpollNative.Pri | EpollNative.Out | EpollNative.RdHup | EpollNative.EdgeTriggered;
        *(long*)(ev + EpollNative.EventDataOffset) = token;
        if (EpollNative.EpollCtl(_epoll, EpollNative.CtlAdd, fd, ev) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            Remove(token);
            throw new SocketException(SocketErrors.FromErrno(error));
        }

        return token;
    }

    /// <summary>Frees the slot of a socket about to be closed (closing the descriptor takes it out of epoll).</summary>
    public void Remove(long token)
    {
        var slot = (int)token;
        lock (_lock)
        {
            if (_targets[slot] is { } target && target.Token == token)
            {
                _targets[slot] = null;
                _free.Push(slot);
            }
        }
    }

    private void Run()
    {
        var events = (byte*)NativeMemory.Alloc((nuint)(MaxEvents * EpollNative.EventSize));
        while (true)
        {
            var count = EpollNative.EpollWait(_epoll, events, MaxEvents, -1);
            if (count < 0)
            {
                // EINTR (a signal, or a debugger) is the only error a valid epoll_wait can return.
                continue;
            }

            for (var i = 0; i < count; i++)
            {
                var ev = events + (i * EpollNative.EventSize);
                var token = *(long*)(ev + EpollNative.EventDataOffset);
                // One reference read: a slot given to another socket meanwhile holds a target with another token.
                if (Volatile.Read(ref Volatile.Read(ref _targets)[(int)token]) is { } target && target.Token == token)
                {
                    // Continuations run here: one that throws is a bug, but must not take every socket of the loop with it.
                    try
                    {
                        target.OnEvents(*(uint*)ev);
                    }
                    catch (Exception ex)
                    {
                        Log.ContinuationFailed(_engine.Logger, ex);
                    }
                }
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(951, LogLevel.Error, "An epoll loop's continuation threw; the loop goes on")]
        public static partial void ContinuationFailed(ILogger logger, Exception exception);
    }
}
