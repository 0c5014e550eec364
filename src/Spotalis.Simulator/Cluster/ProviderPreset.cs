namespace Spotalis.Simulator.Cluster;

/// <summary>Whose node labels and taints the simulated node pools wear.</summary>
public enum ProviderPreset
{
    /// <summary>Karpenter (<c>karpenter.sh/capacity-type</c>, <c>karpenter.sh/nodepool</c>; interruption taint <c>karpenter.sh/disrupted:NoSchedule</c>).</summary>
    Karpenter,

    /// <summary>EKS managed node groups (<c>eks.amazonaws.com/capacityType</c> SPOT/ON_DEMAND; AWS Node Termination Handler taints on interruption).</summary>
    Eks,

    /// <summary>GKE (<c>cloud.google.com/gke-spot=true</c> on spot nodes, <c>cloud.google.com/gke-nodepool</c>).</summary>
    Gke,

    /// <summary>AKS (<c>kubernetes.azure.com/scalesetpriority=spot</c> label and NoSchedule taint on spot nodes).</summary>
    Aks,
}
