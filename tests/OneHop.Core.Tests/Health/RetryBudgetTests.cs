using Microsoft.Extensions.Time.Testing;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Health;

namespace OneHop.Core.Tests.Health;

public sealed class RetryBudgetTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Retries_are_limited_to_the_minimum_plus_the_budget_share_of_requests()
    {
        var budget = new RetryBudget(_time);
        var policy = new RetryPolicy(Attempts: 3, BudgetPercent: 20, MinRetriesPerSecond: 1);
        for (var i = 0; i < 100; i++)
        {
            budget.RecordRequest();
        }

        // 1/s × 10 s + 20% of 100 = 30 retries in the window.
        var granted = Enumerable.Range(0, 100).Count(_ => budget.TryRetry(policy));

        Assert.Equal(30, granted);
        Assert.False(budget.HasRoom(policy));
    }

    [Fact]
    public void The_window_slides_so_the_budget_comes_back()
    {
        var budget = new RetryBudget(_time);
        var policy = new RetryPolicy(BudgetPercent: 0, MinRetriesPerSecond: 1);
        while (budget.TryRetry(policy))
        {
        }

        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(budget.TryRetry(policy));
        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.True(budget.TryRetry(policy));
    }

    [Fact]
    public void A_zero_budget_allows_no_retries()
    {
        var budget = new RetryBudget(_time);
        budget.RecordRequest();
        Assert.False(budget.TryRetry(new RetryPolicy(BudgetPercent: 0, MinRetriesPerSecond: 0)));
    }
}
