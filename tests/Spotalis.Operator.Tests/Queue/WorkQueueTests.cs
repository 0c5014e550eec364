using Spotalis.Operator.Queue;

namespace Spotalis.Operator.Tests.Queue;

public class WorkQueueTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_key_added_many_times_is_handed_out_once()
    {
        using var queue = new WorkQueue<string>(TimeProvider.System);
        queue.Add("a");
        queue.Add("a");
        queue.Add("b");

        var first = await queue.GetAsync(CancellationToken.None);
        var second = await queue.GetAsync(CancellationToken.None);

        Assert.Equal(["a", "b"], new[] { first, second });
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task A_key_being_processed_is_not_handed_to_a_second_worker_until_done()
    {
        using var queue = new WorkQueue<string>(TimeProvider.System);
        queue.Add("a");
        var key = await queue.GetAsync(CancellationToken.None);
        queue.Add("a");

        using var shortWait = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await queue.GetAsync(shortWait.Token));

        queue.Done(key);
        using var wait = new CancellationTokenSource(Patience);
        Assert.Equal("a", await queue.GetAsync(wait.Token));
    }

    [Fact]
    public async Task Delayed_and_rate_limited_adds_arrive_later()
    {
        using var queue = new WorkQueue<string>(TimeProvider.System, baseBackoff: TimeSpan.FromMilliseconds(10));
        queue.AddAfter("later", TimeSpan.FromMilliseconds(50));
        var backoff1 = queue.AddRateLimited("failing");
        queue.Forget("failing");
        var afterForget = queue.AddRateLimited("other");
        var backoff2 = queue.AddRateLimited("other");

        using var wait = new CancellationTokenSource(Patience);
        var received = new HashSet<string> { await queue.GetAsync(wait.Token), await queue.GetAsync(wait.Token), await queue.GetAsync(wait.Token) };

        Assert.Equal(["later", "failing", "other"], received);
        Assert.Equal(TimeSpan.FromMilliseconds(10), backoff1);
        Assert.Equal(TimeSpan.FromMilliseconds(10), afterForget);
        Assert.Equal(TimeSpan.FromMilliseconds(20), backoff2);
    }

    [Fact]
    public async Task The_earlier_of_two_delayed_adds_wins()
    {
        using var queue = new WorkQueue<string>(TimeProvider.System);
        queue.AddAfter("a", TimeSpan.FromMinutes(10));
        queue.AddAfter("a", TimeSpan.FromMilliseconds(20));

        using var wait = new CancellationTokenSource(Patience);
        Assert.Equal("a", await queue.GetAsync(wait.Token));
    }
}
