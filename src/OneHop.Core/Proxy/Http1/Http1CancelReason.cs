namespace OneHop.Core.Proxy.Http1;

/// <summary>Why an exchange's token was cancelled.</summary>
internal enum Http1CancelReason
{
    /// <summary>Not cancelled.</summary>
    None,

    /// <summary>The exchange's own timer ran out (a timeout; whose, the exchange tells from where it stood).</summary>
    TimedOut,

    /// <summary>The client went away (<c>HttpContext.RequestAborted</c>).</summary>
    ClientAborted,

    /// <summary>The caller's token: the route's timeout.</summary>
    CallerCancelled,

    /// <summary>Sending the request body failed on the client's side; the exchange stops with that outcome.</summary>
    BodyFailed,

    /// <summary>The answer is complete while the request body was still being sent: the send is stopped.</summary>
    Finished,
}
