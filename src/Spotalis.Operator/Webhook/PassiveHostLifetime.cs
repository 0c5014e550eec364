using Microsoft.Extensions.Hosting;

namespace Spotalis.Operator.Webhook;

/// <summary>
/// The webhook's inner web host must not hook process signals (Ctrl+C, SIGTERM): the operator host owns shutdown
/// and stops the webhook in order.
/// </summary>
internal sealed class PassiveHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
