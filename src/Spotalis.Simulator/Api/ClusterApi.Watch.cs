using System.Threading.Channels;
using k8s;
using k8s.Models;

namespace Spotalis.Simulator.Api;

/// <summary>Watches: a backlog from the bounded history (or the current state) followed by live changes, with no gap.</summary>
public sealed partial class ClusterApi
{
    /// <summary>
    /// Opens a watch on one resource. Without <paramref name="sinceResourceVersion"/> (or with 0) the current objects
    /// come first as Added events; otherwise every change after it, or 410 Expired when it has been compacted away.
    /// Dispose the result to stop.
    /// </summary>
    public WatchSubscription OpenWatch(ResourceType resource, string? namespaceName, long? sinceResourceVersion)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var channel = Channel.CreateUnbounded<ClusterChange>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        bool Wanted(IKubernetesObject<V1ObjectMeta> obj) =>
            resource.Holds(obj) && (namespaceName is null || obj.Metadata.NamespaceProperty == namespaceName);

        lock (_gate)
        {
            if (sinceResourceVersion is null or 0)
            {
                foreach (var item in Store(resource).ListUntyped(namespaceName))
                {
                    channel.Writer.TryWrite(new ClusterChange(ClusterChangeType.Added, EventConversion.View(resource, item), long.Parse(item.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture)));
                }
            }
            else
            {
                var backlog = _history.Since(sinceResourceVersion.Value)
                    ?? throw new ApiException(410, "Expired", $"too old resource version: {sinceResourceVersion} ({_history.OldestResumableVersion + 1})");
                foreach (var change in backlog.Where(c => Wanted(c.Object)))
                {
                    channel.Writer.TryWrite(change with { Object = EventConversion.View(resource, change.Object) });
                }
            }

            var subscription = Subscribe(change =>
            {
                if (Wanted(change.Object))
                {
                    channel.Writer.TryWrite(change with { Object = EventConversion.View(resource, change.Object) });
                }
            });
            return new WatchSubscription(channel.Reader, () =>
            {
                subscription.Dispose();
                channel.Writer.TryComplete();
            });
        }
    }
}
