using System.Threading.Channels;

namespace Spotalis.Simulator.Api;

/// <summary>An open watch: read <see cref="Changes"/>; dispose to stop.</summary>
public sealed class WatchSubscription(ChannelReader<ClusterChange> changes, Action stop) : IDisposable
{
    private int _stopped;

    public ChannelReader<ClusterChange> Changes { get; } = changes;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            stop();
        }
    }
}
