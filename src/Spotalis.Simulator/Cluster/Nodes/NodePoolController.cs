using k8s;
using k8s.Models;
using Spotalis.Simulator.Api;
using Spotalis.Simulator.Cluster.Controllers;
using Spotalis.Simulator.Cluster.State;

namespace Spotalis.Simulator.Cluster.Nodes;

/// <summary>
/// The cloud side of the cluster, as one controller with one queue of <see cref="NodePoolWork"/> items that it
/// hands to its jobs, each in its own type: <see cref="NodeProvisioner"/> (initial nodes, provisioning for
/// unschedulable pods), <see cref="SpotInterruptions"/>, <see cref="CapacityOutages"/>, <see cref="EmptyNodeScaleIn"/>,
/// <see cref="UnschedulableTaintSync"/> (the node lifecycle controller's taint), <see cref="CloudPoolControls"/>
/// (SimulatedPool and Karpenter NodePool objects) and <see cref="CostLedger"/>; they share a <see cref="NodeInventory"/>.
/// All bookkeeping is guarded by the state lock, never held while calling the API.
/// </summary>
internal sealed class NodePoolController : WorkQueueController<NodePoolWork>, INodePoolWorkQueue
{
    private readonly NodeInventory _inventory;
    private readonly NodeProvisioner _provisioner;
    private readonly SpotInterruptions _interruptions;
    private readonly CapacityOutages _outages;
    private readonly EmptyNodeScaleIn _scaleIn;
    private readonly UnschedulableTaintSync _unschedulableTaint;
    private readonly CloudPoolControls _controls;
    private readonly CostLedger _ledger;

    public NodePoolController(ControllerContext context)
        : base(context, NodePoolWork.Order)
    {
        _inventory = new NodeInventory(ProviderProfile.For(context.Options.Preset));
        foreach (var pool in context.Options.Pools)
        {
            _inventory.Pools[pool.Name] = new PoolRuntime(pool, pool.Zones is { Count: > 0 } zones ? zones : _inventory.Profile.DefaultZones);
        }

        _provisioner = new NodeProvisioner(context, _inventory, this);
        _interruptions = new SpotInterruptions(context, _inventory, this);
        _outages = new CapacityOutages(context, _inventory, this);
        _scaleIn = new EmptyNodeScaleIn(context, _inventory, this);
        _unschedulableTaint = new UnschedulableTaintSync(context);
        _controls = new CloudPoolControls(context, _inventory, this);
        _ledger = new CostLedger(context, _inventory);
        MarkDirty(NodePoolWork.Initialize);
    }

    public override string Name => "node-pools";

    public ProviderProfile Profile => _inventory.Profile;

    public IReadOnlyList<NodePoolOptions> Pools => [.. _inventory.Pools.Values.Select(p => p.Options)];

    public ClusterStatistics Statistics
    {
        get
        {
            lock (Context.State.Sync)
            {
                return _inventory.Statistics with { PendingLaunches = _inventory.Launches.Count };
            }
        }
    }

    void INodePoolWorkQueue.Enqueue(NodePoolWork work) => MarkDirty(work);

    void INodePoolWorkQueue.EnqueueAt(NodePoolWork work, DateTime dueUtc) => Context.Timers.Schedule(this, work, dueUtc);

    public override void OnChange(ClusterChangeType type, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta>? previous)
    {
        switch (obj)
        {
            case CustomObject custom:
                _controls.OnCloudObjectChange(type, custom);
                break;
            case V1Node node:
                OnNodeChange(type, node);
                if (SpotInterruptions.IsRequested(type, node))
                {
                    MarkDirty(NodePoolWork.InterruptRequest(node.Metadata.Name));
                }

                MarkDirty(NodePoolWork.WriteStatus);
                break;
            case V1Pod pod:
                if (string.IsNullOrEmpty(pod.Spec?.NodeName))
                {
                    if (type != ClusterChangeType.Deleted && PodFacts.IsUnschedulable(pod) && !PodFacts.IsTerminating(pod) && Context.Options.EnableProvisioning)
                    {
                        MarkDirty(NodePoolWork.Provision);
                    }
                }
                else if (_scaleIn.Enabled)
                {
                    MarkDirty(NodePoolWork.Node(pod.Spec.NodeName));
                }

                break;
        }
    }

    private void OnNodeChange(ClusterChangeType type, V1Node node)
    {
        if (type == ClusterChangeType.Deleted)
        {
            _inventory.Retire(node.Metadata.Name, Context.Now);
            return;
        }

        var (tracked, added) = _inventory.Track(node, Context.Now);
        if (added)
        {
            _interruptions.OnNodeTracked(tracked);
        }

        MarkDirty(NodePoolWork.Node(tracked.Name));
    }

    protected override async Task ReconcileAsync(NodePoolWork work, CancellationToken cancellationToken)
    {
        switch (work.Kind)
        {
            case NodePoolWorkKind.Initialize:
                await _controls.EnsureCloudResourcesAsync(cancellationToken).ConfigureAwait(false);
                await _provisioner.CreateInitialNodesAsync(cancellationToken).ConfigureAwait(false);
                break;
            case NodePoolWorkKind.Provision:
                _provisioner.Plan();
                break;
            case NodePoolWorkKind.WriteStatus:
                _controls.WriteStatuses();
                break;
            case NodePoolWorkKind.InterruptRequest:
                _interruptions.AnswerRequest(work.Name);
                break;
            case NodePoolWorkKind.FinishLaunch:
                await _provisioner.FinishLaunchAsync(work.LaunchId, cancellationToken).ConfigureAwait(false);
                break;
            case NodePoolWorkKind.Node:
                if (Context.State.GetNode(work.Name) is { } node)
                {
                    _unschedulableTaint.Sync(node);
                    _scaleIn.ScaleInIfEmpty(node);
                }

                break;
            case NodePoolWorkKind.KarpenterNodePool:
                await _controls.ApplyNodePoolAsync(work.Name, cancellationToken).ConfigureAwait(false);
                break;
            case NodePoolWorkKind.RandomInterruption:
                _interruptions.InterruptAtRandom(work.Name);
                break;
            case NodePoolWorkKind.Reclaim:
                _interruptions.Reclaim(work.Name);
                break;
            case NodePoolWorkKind.SimulatedPool:
                _controls.ApplySimulatedPool(work.Name);
                break;
            default:
                throw new InvalidOperationException($"unknown node-pool work {work}");
        }
    }

    // ---- operations for SimulatedCluster (any thread) ----

    /// <inheritdoc cref="SpotInterruptions.Interrupt"/>
    public bool Interrupt(string nodeName) => _interruptions.Interrupt(nodeName);

    public void StartOutage(string poolName, TimeSpan? duration) => _outages.Start(poolName, duration);

    public void EndOutage(string poolName) => _outages.End(poolName);

    public bool IsInOutage(string poolName) => _outages.IsInOutage(poolName);

    public Task<IReadOnlyList<string>> AddNodesAsync(string poolName, int count, CancellationToken cancellationToken) =>
        _provisioner.AddNodesAsync(poolName, count, cancellationToken);

    public CostReport Cost() => _ledger.Cost();

    public string? PoolOf(string nodeName)
    {
        lock (Context.State.Sync)
        {
            return _inventory.Nodes.TryGetValue(nodeName, out var tracked) ? tracked.Pool?.Options.Name : null;
        }
    }
}
