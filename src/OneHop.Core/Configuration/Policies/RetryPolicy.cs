




namespace OneHop.Core.Configuration.Policies;

/// <summary>
/// Retries to another endpoint: at most <see cref="Attempts"/> tries per request (the first included), and over
/// time no more retries than <see cref="BudgetPercent"/> of requests plus <see cref="MinRetriesPerSecond"/>, so
/// retries cannot multiply an outage (Linkerd's retry budget).
/// </summary>
internal sealed record RetryPolicy(int Attempts = 3, int BudgetPercent = 20, int MinRetriesPerSecond = 10);
