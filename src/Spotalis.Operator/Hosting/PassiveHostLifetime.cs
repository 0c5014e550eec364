using Microsoft.Extensions.Hosting;

namespace Spotalis.Operator.Hosting;

/// <summary>
/// A host lifetime that does not hook process signals (Ctrl+C, SIGTERM): the program that embeds the operator
/// (<c>spotalis run</c>, the demo, tests) owns the signal and stops the operator's host, which stops its hosted
/// services in order. The operator's host and the two listeners inside it (webhook, metrics/health) all use it.
/// </summary>
internal sealed class PassiveHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
