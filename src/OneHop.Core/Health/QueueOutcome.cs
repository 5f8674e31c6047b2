namespace OneHop.Core.Health;

/// <summary>How a request's wait for a slot in its backend's queue ended.</summary>
internal enum QueueOutcome
{
    Granted,

    /// <summary>As many were waiting as the queue holds: refused without waiting.</summary>
    Full,

    /// <summary>No slot came within the queue timeout.</summary>
    TimedOut,
}
