using k8s;
using k8s.Models;
using Spotalis.Simulator.Api;

namespace Spotalis.InProcess;

/// <summary>
/// Keeps an <see cref="ObjectClusterView"/> current with the in-process simulator: lists once, then applies every
/// committed change synchronously, as a watch cache would (without the watch's delay).
/// </summary>
public sealed class ClusterApiViewFeed : IDisposable
{
    private readonly IDisposable _subscription;

    public ClusterApiViewFeed(IClusterApi api, ObjectClusterView view)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(view);
        _subscription = api.Subscribe(change =>
        {
            if (change.Type == ClusterChangeType.Deleted)
            {
                view.Remove(change.Object);
            }
            else
            {
                view.Upsert(change.Object);
            }
        });
        foreach (var item in Existing(api))
        {
            view.Upsert(item);
        }
    }

    public void Dispose() => _subscription.Dispose();

    private static IEnumerable<IKubernetesObject<V1ObjectMeta>> Existing(IClusterApi api) =>
        api.List<V1Namespace>().Cast<IKubernetesObject<V1ObjectMeta>>()
            .Concat(api.List<V1Node>())
            .Concat(api.List<V1Deployment>())
            .Concat(api.List<V1ReplicaSet>())
            .Concat(api.List<V1StatefulSet>())
            .Concat(api.List<V1Pod>());
}
