namespace Spotalis.Simulator.Tests.Cluster;

/// <summary>Polls a condition on a real clock with a generous deadline (tests run on loaded machines).</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, int timeoutSeconds = 45)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            if (await condition())
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {timeoutSeconds} s waiting for: {what}");
            }

            await Task.Delay(100);
        }
    }

    public static Task TrueAsync(Func<bool> condition, string what, int timeoutSeconds = 45) =>
        TrueAsync(() => Task.FromResult(condition()), what, timeoutSeconds);
}
