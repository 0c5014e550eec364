namespace Spotalis.EndToEnd.Tests.Operator;

/// <summary>Samples a workload's Ready pods continuously in the background and keeps the lowest values seen.</summary>
internal sealed class InvariantSampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public InvariantSampler(OperatorTestEnvironment env, string ns, string app)
    {
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var pods = env.PodsOf(ns, app);
                var ready = pods.Where(p => OperatorTestEnvironment.IsReady(p.Pod)).ToList();
                MinReady = Math.Min(MinReady, ready.Count);
                MinReadyOnDemand = Math.Min(MinReadyOnDemand, ready.Count(p => p.Capacity == "on-demand"));
                Samples++;
                try
                {
                    await Task.Delay(10, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
    }

    public int MinReady { get; private set; } = int.MaxValue;

    public int MinReadyOnDemand { get; private set; } = int.MaxValue;

    public int Samples { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
