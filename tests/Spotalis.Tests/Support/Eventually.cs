namespace Spotalis.Tests.Support;

/// <summary>Polls a condition with a generous deadline (real processes on a loaded 2-core machine), never a fixed sleep.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, int timeoutSeconds = 90)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {timeoutSeconds} s waiting for: {what}");
            }

            await Task.Delay(200);
        }
    }

    public static Task TrueAsync(Func<bool> condition, string what, int timeoutSeconds = 90) =>
        TrueAsync(() => Task.FromResult(condition()), what, timeoutSeconds);
}
