namespace OneHop.Core.Health;

/// <summary>
/// What a wait in a <see cref="BackendQueue"/> came to. Granted with a <see cref="Destination"/>: a slot on it, already
/// counted, from <see cref="Backend"/> (the state in force when it was granted); Granted without one: the cap went away,
/// pick as usual.
/// </summary>
internal readonly record struct QueueTicket(QueueOutcome Outcome, BackendState? Backend, Destination? Destination);
