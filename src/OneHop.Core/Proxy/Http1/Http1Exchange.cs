using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OneHop.Core.Health;
using OneHop.Core.Routing;

namespace OneHop.Core.Proxy.Http1;

/// <summary>
/// One request and its response on one connection: the head written from the inbound request, the body sent
/// beside the response being read (a pod may answer before it has read the whole body, and must not be blocked by
/// it), the response head parsed and copied, the body relayed, or a 101 turned into a tunnel. Each connection owns
/// one exchange object and reuses it for every request it carries, so an exchange allocates nothing of its own;
/// its async methods use pooled state machines for the same reason. Every failure is classified here, once.
/// </summary>
internal sealed partial class Http1Exchange
{
    private readonly Http1Connection _connection;
    private readonly Http1ForwarderOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Http1HeaderStrings _strings = new();

    // The request under way.
    private HttpContext _context = null!;
    private Http1RequestPlan _plan;
    private Http1RequestShape _shape = null!;
    private CancellationToken _deadline;
    private bool _fresh;
    private CancellationTokenRegistration _onAbort;
    private CancellationTokenRegistration _onDeadline;

    // True from Begin until End: the connection is this request's.
    private bool _turn;
    private Side _side;
    private bool _anyResponseByte;
    private bool _touchedResponse;
    private bool _leftover;
    private bool _bodyWritten;
    private long _sentBodyBytes;
    private long _receivedBodyBytes;
    private volatile bool _headReceived;
    private volatile bool _bodyConsumed;
    private volatile bool _bodySent;
    private volatile bool _awaitingClientBody;
    private AttemptOutcome _bodyFailure;

    // The request's own timeouts (a route's, else the options').
    private UpstreamTimeouts? _timeouts;
    private TimeSpan _headersTimeout;
    private TimeSpan _activityTimeout;
    private TimeSpan _sendTimeout;
    private int _badBodyStatus;
    private TaskCompletionSource<bool>? _continue;

    public Http1Exchange(Http1Connection connection, Http1ForwarderOptions options, TimeProvider time, ILogger logger)
    {
        _connection = connection;
        _options = options;
        _headersTimeout = options.ResponseHeadersTimeout;
        _activityTimeout = options.ActivityTimeout;
        _sendTimeout = options.ResponseHeadersTimeout;
        _time = time;
        _logger = logger;
        _onData = OnData;
        _onReceived = OnReceived;
    }

    /// <summary>Which side an I/O operation that fails was talking to.</summary>
    private enum Side
    {
        Upstream,
        Client,
    }

    /// <summary>
    /// Forwards the request of <paramref name="context"/> on this connection and relays the answer, then ends the
    /// connection's turn itself: back to its pool after a complete exchange, else closed; and a reused connection the
    /// server had closed while idle is replaced once (<paramref name="fresh"/> false) when the request can go again.
    /// Ending the turn here rather than in the caller spares the caller an async frame of its own per request. The
    /// result must be awaited once, as any <see cref="ValueTask"/>: a request without a body waiting for its answer
    /// hands back this exchange as the task's source, and ends the turn when its result is taken.
    /// <paramref name="timeouts"/> replaces the options' read (response head and activity) and send timeouts for this request.
    /// </summary>
    public ValueTask<AttemptOutcome> RunAsync(HttpContext context, Http1RequestPlan plan, Http1RequestShape shape, CancellationToken deadline, bool fresh = false, UpstreamTimeouts? timeouts = null)
    {
        Begin(context, plan, shape, fresh, timeouts, deadline);
        if (!Http1RequestHeadWriter.Write(_connection.Writer, context, plan, shape))
        {
            End(reusable: false);
            return new ValueTask<AttemptOutcome>(AttemptOutcome.Unforwardable);
        }

        var hasBody = plan.Body == Http1RequestBody.Chunked || (plan.Body == Http1RequestBody.ContentLength && plan.ContentLength > 0);
        _connection.Arm(hasBody ? _sendTimeout : _headersTimeout);
        return hasBody ? RunWithBodyAsync() : RunBodyless();
    }

    /// <summary>A request with a body: the body goes out beside the answer being read.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<AttemptOutcome> RunWithBodyAsync()
    {
        var connection = _connection;
        AttemptOutcome outcome;
        bool reusable;
        bool retry;
        try
        {
            _continue = _plan.ExpectContinue ? new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously) : null;
            var sending = SendBodyAsync();
            try
            {
                (outcome, reusable) = await ReceiveAsync(readable: false);
            }
            finally
            {
                // The answer is over; a body still going out is stopped (the connection is then not reused).
                _continue?.TrySetResult(false);
                if (!sending.IsCompleted)
                {
                    connection.Cancel(Http1CancelReason.Finished);
                }

                await sending;
            }

            retry = Conclude(ref outcome, ref reusable);
        }
        catch
        {
            // A bug, not a network failure (those are outcomes): the connection goes, and the request lets go of it.
            End(reusable: false);
            throw;
        }

        return await Finish(outcome, reusable, retry);
    }

    /// <summary>
    /// Settles the outcome once the answer is over: a client body that broke is the client's doing, a failure leaves
    /// the client's response as <see cref="Abandon"/> says. True when the request should go again on a new connection.
    /// </summary>
    private bool Conclude(ref AttemptOutcome outcome, ref bool reusable)
    {
        // A client body that broke is the client's doing, however the exchange then saw its end.
        if (_bodyFailure == AttemptOutcome.BadRequestBody && outcome is not (AttemptOutcome.Success or AttemptOutcome.PodError))
        {
            outcome = AttemptOutcome.BadRequestBody;
        }

        var retry = outcome == AttemptOutcome.UpstreamReset && _connection.IsReused && !_anyResponseByte && !_bodyConsumed;
        if (outcome is not (AttemptOutcome.Success or AttemptOutcome.PodError))
        {
            Abandon();
        }

        if (outcome == AttemptOutcome.BadRequestBody && !_context.Response.HasStarted)
        {
            // Kestrel's status for the body's failure (413 over the size limit, 408 too slow) is the client's answer.
            _context.Response.StatusCode = _badBodyStatus;
        }

        reusable = reusable && _bodySent && !_leftover;
        return retry;
    }

    /// <summary>Ends the connection's turn, then sends the request again on a new connection when <paramref name="retry"/> says so and it may.</summary>
    private ValueTask<AttemptOutcome> Finish(AttemptOutcome outcome, bool reusable, bool retry)
    {
        // From here on the connection may be another request's: only locals are used.
        var (context, plan, shape, deadline, fresh, upstream, timeouts) = (_context, _plan, _shape, _deadline, _fresh, _connection.Upstream, _timeouts);
        End(reusable);
        return retry && !fresh && shape.ReplacesClosedConnection(context)
            ? ReplaceAsync(upstream, context, plan, shape, timeouts, deadline)
            : new ValueTask<AttemptOutcome>(outcome);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<AttemptOutcome> ReplaceAsync(Http1Upstream upstream, HttpContext context, Http1RequestPlan plan, Http1RequestShape shape, UpstreamTimeouts? timeouts, CancellationToken deadline)
    {
        var (replacement, failure) = await upstream.ConnectAsync(context.RequestAborted, deadline, timeouts?.Connect);
        return replacement is null ? failure : await replacement.Exchange.RunAsync(context, plan, shape, deadline, fresh: true, timeouts);
    }

    /// <summary>
    /// Ends the connection's turn: the request's cancellations let go of it first (a client leaving later must not
    /// cancel the next request's exchange), an idle connection keeps no request alive, and it goes back to its pool or
    /// is closed.
    /// </summary>
    private void End(bool reusable)
    {
        var connection = _connection;
        _shape.Relayed(_context, _sentBodyBytes, _receivedBodyBytes);
        _turn = false;
        _onAbort.Dispose();
        _onDeadline.Dispose();
        _onAbort = default;
        _onDeadline = default;
        _context = null!;
        _shape = null!;
        _deadline = default;
        _continue = null;
        if (reusable)
        {
            connection.Upstream.Return(connection);
        }
        else
        {
            connection.Dispose();
        }
    }

    private void Begin(HttpContext context, Http1RequestPlan plan, Http1RequestShape shape, bool fresh, UpstreamTimeouts? timeouts, CancellationToken deadline)
    {
        _turn = true;
        _context = context;
        if (!ReferenceEquals(timeouts, _timeouts))
        {
            _timeouts = timeouts;
            _headersTimeout = timeouts?.Read ?? _options.ResponseHeadersTimeout;
            _activityTimeout = timeouts?.Read ?? _options.ActivityTimeout;

            // nginx's proxy_send_timeout, else the read timeout, which bounded the body's writes before there was a send timeout.
            _sendTimeout = timeouts?.Send ?? _headersTimeout;
        }

        _plan = plan;
        _shape = shape;
        _deadline = deadline;
        _fresh = fresh;
        _side = Side.Upstream;
        _anyResponseByte = false;
        _touchedResponse = false;
        _leftover = false;
        _bodyWritten = false;
        _sentBodyBytes = 0;
        _receivedBodyBytes = 0;
        _headReceived = false;
        _bodyConsumed = false;
        _bodySent = false;
        _awaitingClientBody = false;
        _bodyFailure = AttemptOutcome.Success;
        _badBodyStatus = StatusCodes.Status400BadRequest;
        _continue = null;
        var connection = _connection;
        _onAbort = context.RequestAborted.UnsafeRegister(static s => ((Http1Connection)s!).Cancel(Http1CancelReason.ClientAborted), connection);
        _onDeadline = deadline == context.RequestAborted ? default
            : deadline.UnsafeRegister(static s => ((Http1Connection)s!).Cancel(Http1CancelReason.CallerCancelled), connection);
    }

    /// <summary>
    /// After a failure: an answer not yet started leaves the client's response as it was found, so the caller may try
    /// another endpoint or answer itself; one under way is cut, so the client never takes it for complete.
    /// </summary>
    private void Abandon()
    {
        var response = _context.Response;
        if (response.HasStarted || _bodyWritten)
        {
            // Body bytes buffered by Kestrel cannot be taken back either: the connection goes rather than send them.
            _context.Abort();
        }
        else if (_touchedResponse)
        {
            response.Clear();
        }
    }

    /// <summary>What a failed operation on <paramref name="side"/> means, the exchange's cancellation first.</summary>
    private AttemptOutcome Failed(Side side, Exception? exception = null)
    {
        // Kestrel's verdict on the client's body stands even when the client's abort cancelled the exchange first.
        if (side == Side.Client && exception is BadHttpRequestException bad)
        {
            _badBodyStatus = bad.StatusCode;
            return AttemptOutcome.BadRequestBody;
        }

        if (_connection.Token.IsCancellationRequested)
        {
            return Cancelled();
        }

        return side == Side.Upstream ? AttemptOutcome.UpstreamReset : AttemptOutcome.ClientAbort;
    }

    private AttemptOutcome Cancelled() => _connection.CancelReason switch
    {
        Http1CancelReason.ClientAborted => AttemptOutcome.ClientAbort,
        // The caller's deadline may be the client's own abort token (no route timeout): then the client left.
        Http1CancelReason.CallerCancelled => _context.RequestAborted.IsCancellationRequested ? AttemptOutcome.ClientAbort : AttemptOutcome.Timeout,
        Http1CancelReason.BodyFailed => _bodyFailure,

        // The timer: waiting for the head is the endpoint's silence, unless the request body waited on the client;
        // once the answer moves, a stall is no one's fault that can be told apart.
        _ => _headReceived || _awaitingClientBody ? AttemptOutcome.Stalled : AttemptOutcome.Timeout,
    };

    /// <summary>The failures of a read or write on either side; anything else is a bug and is let through.</summary>
    private static bool IsIoFailure(Exception ex) =>
        ex is IOException or OperationCanceledException or ObjectDisposedException or BadHttpRequestException
            or System.Net.Sockets.SocketException or InvalidOperationException;

    private static partial class Log
    {
        [LoggerMessage(10, LogLevel.Information, "Malformed response from {Upstream}: {Reason}; connection closed, nothing forwarded")]
        public static partial void BadResponse(ILogger logger, Http1UpstreamKey upstream, string reason);
    }
}
