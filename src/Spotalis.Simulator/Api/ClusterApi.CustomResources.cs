using k8s;
using k8s.Models;

namespace Spotalis.Simulator.Api;

/// <summary>CustomResourceDefinitions: an established definition serves its kind at once; a deleted one takes its objects with it.</summary>
public sealed partial class ClusterApi
{
    /// <summary>An established definition is served at once; a deleted one takes its objects with it.</summary>
    private void Serve(ClusterChangeType type, V1CustomResourceDefinition definition)
    {
        var group = definition.Spec.Group;
        var plural = definition.Spec.Names.Plural;
        if (type != ClusterChangeType.Deleted)
        {
            Resources.Define(group, plural, CustomResourceDefinitions.Resources(definition));
            return;
        }

        var key = group + "/" + plural;
        if (_stores.Remove(key, out var store))
        {
            foreach (var obj in store.ListUntyped(null))
            {
                var gone = (IKubernetesObject<V1ObjectMeta>)KubeJson.Clone(obj, typeof(CustomObject));
                gone.Metadata.ResourceVersion = NextVersion();
                var change = new ClusterChange(ClusterChangeType.Deleted, gone, _resourceVersion);
                _history.Append(change);
                _undelivered.Enqueue(change);
            }
        }

        Resources.Forget(group, plural);
    }
}
