using Microsoft.Extensions.Hosting;
using Spotalis.Operator.Cache;

namespace Spotalis.Operator.Hosting;

/// <summary>Runs the watch cache for the host's lifetime: started before everything that reads it, stopped after.</summary>
public sealed class ClusterCacheService(ClusterCache cache) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => cache.RunAsync(stoppingToken);
}
