using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using OneHop.Core.Health;

namespace OneHop.Core.Proxy.Http1;

/// <summary>
/// A request without a body, the usual one, without an async frame: the head is flushed, the wait for the answer is
/// a continuation this exchange keeps, and the exchange itself is the source of the attempt's task.
/// </summary>
/// <remarks>
/// Hand-written rather than an async method on the hot path: an async method's pooled box
/// (<see cref="PoolingAsyncValueTaskMethodBuilder{TResult}"/>) is cached one per thread and one per core, and 64
/// exchanges waiting at once outran that cache, so about every other request allocated a box of ~300 B
/// (bench/PROFILE.md). An exchange already serves one request at a time and lives as long as its connection, so it
/// is the box. The turn ends when the caller takes the result (<see cref="GetResult"/>), not before: until then
/// the connection, and with it this source, cannot be another request's.
/// </remarks>
internal sealed partial class Http1Exchange : IValueTaskSource<AttemptOutcome>
{
    private readonly Action _onData;
    private readonly Action _onReceived;
    private ManualResetValueTaskSourceCore<AttemptOutcome> _completion;
    private ValueTaskAwaiter<int> _waiting;
    private ValueTaskAwaiter<(AttemptOutcome Outcome, bool Reusable)> _receiving;
    private bool _reusableWhenTaken;

    [SuppressMessage("Reliability", "CA2012", Justification = "Awaited by hand: each ValueTask is checked for completion, then its result or awaiter taken once.")]
    private ValueTask<AttemptOutcome> RunBodyless()
    {
        _bodySent = true;
        ValueTask<int> wait;
        try
        {
            var flush = _connection.Writer.FlushAsync(_connection.Token);
            if (!flush.IsCompletedSuccessfully)
            {
                return RunBodylessAsync(flush);
            }

            var flushed = flush.Result;
            if (flushed.IsCanceled || flushed.IsCompleted)
            {
                return Settle(Failed(Side.Upstream), reusable: false);
            }

            wait = _connection.WaitForDataAsync();
        }
        catch (Exception ex) when (IsIoFailure(ex))
        {
            return Settle(Failed(Side.Upstream), reusable: false);
        }

        if (wait.IsCompleted)
        {
            return ReceiveNow(wait.GetAwaiter());
        }

        // The answer is not there yet (nearly always): the exchange waits for it and completes the caller's task.
        _completion.Reset();
        _waiting = wait.GetAwaiter();
        _waiting.UnsafeOnCompleted(_onData);
        return new ValueTask<AttemptOutcome>(this, _completion.Version);
    }

    /// <summary>The answer arrived before the wait began: the exchange goes on in line.</summary>
    private ValueTask<AttemptOutcome> ReceiveNow(ValueTaskAwaiter<int> wait)
    {
        try
        {
            wait.GetResult();
        }
        catch (Exception ex) when (IsIoFailure(ex))
        {
            return Settle(Failed(Side.Upstream), reusable: false);
        }

        var receiving = ReceiveAsync(readable: true);
        if (!receiving.IsCompletedSuccessfully)
        {
            return ReceiveLaterAsync(receiving);
        }

        var (outcome, reusable) = receiving.Result;
        return Settle(outcome, reusable);
    }

    /// <summary>The head's flush waited (a full socket buffer): the bodyless exchange as an async method.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<AttemptOutcome> RunBodylessAsync(ValueTask<FlushResult> flush)
    {
        (AttemptOutcome Outcome, bool Reusable) received;
        try
        {
            bool sent;
            try
            {
                var flushed = await flush;
                sent = !flushed.IsCanceled && !flushed.IsCompleted;
                if (sent)
                {
                    await _connection.WaitForDataAsync();
                }
            }
            catch (Exception ex) when (IsIoFailure(ex))
            {
                sent = false;
            }

            received = sent ? await ReceiveAsync(readable: true) : (Failed(Side.Upstream), false);
        }
        catch
        {
            End(reusable: false);
            throw;
        }

        return await Settle(received.Outcome, received.Reusable);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<AttemptOutcome> ReceiveLaterAsync(ValueTask<(AttemptOutcome Outcome, bool Reusable)> receiving)
    {
        (AttemptOutcome Outcome, bool Reusable) received;
        try
        {
            received = await receiving;
        }
        catch
        {
            End(reusable: false);
            throw;
        }

        return await Settle(received.Outcome, received.Reusable);
    }

    /// <summary>The answer is over, in line: the outcome settled and the turn ended (a bug closes the connection).</summary>
    private ValueTask<AttemptOutcome> Settle(AttemptOutcome outcome, bool reusable)
    {
        bool retry;
        try
        {
            retry = Conclude(ref outcome, ref reusable);
        }
        catch
        {
            End(reusable: false);
            throw;
        }

        return Finish(outcome, reusable, retry);
    }

    /// <summary>The continuation of the wait for the answer: the answer is read, most often without waiting again.</summary>
    [SuppressMessage("Reliability", "CA2012", Justification = "Awaited by hand: each ValueTask is checked for completion, then its result or awaiter taken once.")]
    private void OnData()
    {
        try
        {
            var sent = true;
            try
            {
                _waiting.GetResult();
            }
            catch (Exception ex) when (IsIoFailure(ex))
            {
                sent = false;
            }

            _waiting = default;
            if (!sent)
            {
                Complete(Failed(Side.Upstream), reusable: false);
                return;
            }

            var receiving = ReceiveAsync(readable: true);
            if (receiving.IsCompleted)
            {
                var (outcome, reusable) = receiving.Result;
                Complete(outcome, reusable);
                return;
            }

            _receiving = receiving.GetAwaiter();
            _receiving.UnsafeOnCompleted(_onReceived);
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    private void OnReceived()
    {
        try
        {
            var (outcome, reusable) = _receiving.GetResult();
            _receiving = default;
            Complete(outcome, reusable);
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    /// <summary>Completes the caller's task; the turn ends when the caller takes the result.</summary>
    private void Complete(AttemptOutcome outcome, bool reusable)
    {
        if (Conclude(ref outcome, ref reusable))
        {
            // A reused connection the server had closed: the request goes again on a new one. This connection is
            // closed now (a reset is never reusable), so nothing else can take this exchange meanwhile.
            var again = Finish(outcome, reusable, retry: true);
            if (again.IsCompleted)
            {
                _completion.SetResult(again.Result);
            }
            else
            {
                _ = CompleteLaterAsync(again);
            }

            return;
        }

        _reusableWhenTaken = reusable;
        _completion.SetResult(outcome);
    }

    private async Task CompleteLaterAsync(ValueTask<AttemptOutcome> again)
    {
        try
        {
            _completion.SetResult(await again);
        }
        catch (Exception ex)
        {
            _completion.SetException(ex);
        }
    }

    /// <summary>A bug, not a network failure (those are outcomes): the connection goes, and the caller sees the exception.</summary>
    private void Fail(Exception exception)
    {
        if (_turn)
        {
            End(reusable: false);
        }

        _completion.SetException(exception);
    }

    public AttemptOutcome GetResult(short token)
    {
        try
        {
            return _completion.GetResult(token);
        }
        finally
        {
            if (_turn)
            {
                End(_reusableWhenTaken);
            }
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _completion.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);
}
