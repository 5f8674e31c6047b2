using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// The suite's assertConsistentRetryBehaviour (conformance/tests/httproute-retry.go) against the one pod of
/// infra-backend-v3: each request carries a new <c>uuid</c>, so the pod's retry simulation counts it apart, and must be
/// answered as expected three times in a row (the suite's consecutive successes). The pod's simulation holds one lock
/// through its delays, as echo-basic's does, so the retry test classes share <see cref="TimingSensitive"/>: one at a
/// time, alone, their margins of tens of milliseconds unstretched by other tests.
/// </summary>
internal static class RetryCase
{
    private const int Consecutive = 3;

    /// <param name="attempts">The requests of each the pod must have seen (OneHop's own check); null where that depends on timing.</param>
    public static async Task ExpectAsync(ConformanceGateway gateway, string path, string simulation, int[] statuses, int? attempts)
    {
        var pod = await gateway.Backends.PodAsync(EchoBackends.InfraV3 + "-0", TestTimeouts.Token());
        for (var i = 0; i < Consecutive; i++)
        {
            var uuid = Guid.NewGuid().ToString();
            var request = new ConformanceRequest($"{path}?{simulation}&uuid={uuid}");
            var response = await gateway.SendAsync(request, TestTimeouts.Token());
            if (statuses is [200])
            {
                ConformanceAssert.Reached(response, request, EchoBackends.InfraV3);
            }
            else
            {
                Assert.True(statuses.Contains(response.Status), $"{request}: expected {string.Join(" or ", statuses)}, got {response}");
            }

            Assert.True(attempts is null || attempts == pod.RetryAttempts(uuid), $"{request}: expected {attempts} attempts at the pod, it saw {pod.RetryAttempts(uuid)}");
        }
    }
}
