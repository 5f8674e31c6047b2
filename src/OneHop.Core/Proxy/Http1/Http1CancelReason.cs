namespace OneHop.Core.Proxy.Http1;

/// <summary>Why an exchange's token was cancelled; a cancellation with none set is the exchange's own timer.</summary>
internal enum Http1CancelReason
{
    /// <summary>Not cancelled, or cancelled by the timer (a timeout).</summary>
    None,

    /// <summary>The client went away (<c>HttpContext.RequestAborted</c>).</summary>
    ClientAborted,

    /// <summary>The caller's token: the route's timeout.</summary>
    CallerCancelled,

    /// <summary>Sending the request body failed on the client's side; the exchange stops with that outcome.</summary>
    BodyFailed,

    /// <summary>The answer is complete while the request body was still being sent: the send is stopped.</summary>
    Finished,
}
