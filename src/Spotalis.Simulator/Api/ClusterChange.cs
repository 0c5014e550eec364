using k8s;
using k8s.Models;

namespace Spotalis.Simulator.Api;

/// <summary>One committed change: Added, Modified or Deleted, with the object as stored after it.</summary>
public sealed record ClusterChange(ClusterChangeType Type, IKubernetesObject<V1ObjectMeta> Object, long ResourceVersion);
