using OneHop.Core.Health;

namespace OneHop.Core.Proxy.Http1;

/// <summary>How one exchange on one connection ended.</summary>
/// <param name="Outcome">The attempt's outcome.</param>
/// <param name="Reusable">The response was read to its end, the request fully sent, and neither side said close: the connection may go back to the pool.</param>
/// <param name="RetryOnFresh">
/// A reused connection failed before any response byte and before any request body byte was taken from the client:
/// most likely the server closed it while idle, so the same request may go again on a new connection.
/// </param>
internal readonly record struct Http1ExchangeResult(AttemptOutcome Outcome, bool Reusable, bool RetryOnFresh);
