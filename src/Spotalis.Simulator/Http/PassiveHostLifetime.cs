using Microsoft.Extensions.Hosting;

namespace Spotalis.Simulator.Http;

/// <summary>Leaves Ctrl-C and SIGTERM to the program hosting the simulator instead of letting the web host capture them.</summary>
internal sealed class PassiveHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
