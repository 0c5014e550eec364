using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Spotalis.Simulator.Api;

namespace Spotalis.Simulator.Cluster.Controllers;

/// <summary>
/// A level-triggered controller: changes mark keys dirty (under the state lock, never calling the API), and
/// <see cref="RunOnceAsync"/> reconciles each dirty key once against the current cache.
/// </summary>
internal abstract class ClusterController(ControllerContext context)
{
    private static readonly TimeSpan ErrorBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan TooManyRequestsBackoff = TimeSpan.FromSeconds(5);
    private HashSet<string> _dirty = new(StringComparer.Ordinal);

    public abstract string Name { get; }

    protected ControllerContext Context { get; } = context;

    /// <summary>True when keys are waiting. Call under the state lock.</summary>
    public bool HasWork => _dirty.Count > 0;

    /// <summary>Marks a key for reconciliation. Call under the state lock.</summary>
    public void MarkDirty(string key) => _dirty.Add(key);

    /// <summary>Routes one committed change to the keys it affects. Called under the state lock; must not call the API.</summary>
    public abstract void OnChange(ClusterChangeType type, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta>? previous);

    /// <summary>Reconciles every key dirty at the time of the call, in key order. Returns how many keys were processed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        string[] keys;
        lock (Context.State.Sync)
        {
            if (_dirty.Count == 0)
            {
                return 0;
            }

            keys = [.. _dirty];
            _dirty = new HashSet<string>(StringComparer.Ordinal);
        }

        Array.Sort(keys, StringComparer.Ordinal);
        await ReconcileBatchAsync(keys, cancellationToken).ConfigureAwait(false);
        return keys.Length;
    }

    /// <summary>Reconciles a batch of keys; controllers that share work across keys (the scheduler) override it.</summary>
    protected virtual async Task ReconcileBatchAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        foreach (var key in keys)
        {
            await ReconcileGuardedAsync(key, ReconcileAsync, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs one reconciliation with the shared error policy: conflicts retry next round, 429s and failures after a back-off.</summary>
    protected async Task ReconcileGuardedAsync(string key, Func<string, CancellationToken, Task> reconcile, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await reconcile(key, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.StatusCode == 409)
        {
            // Stale read: the change that raced us is already in the cache; try again next round.
            lock (Context.State.Sync)
            {
                MarkDirty(key);
            }
        }
        catch (ApiException ex) when (ex.StatusCode == 404)
        {
            // The object went away meanwhile; its removal marks whatever else needs work.
        }
        catch (ApiException ex) when (ex.StatusCode == 429)
        {
            Context.WakeAt(this, key, Context.Now + TooManyRequestsBackoff);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Context.Logger.LogWarning(ex, "{Controller} failed to reconcile {Key}; retrying", Name, key);
            Context.WakeAt(this, key, Context.Now + ErrorBackoff);
        }
    }

    protected abstract Task ReconcileAsync(string key, CancellationToken cancellationToken);

    /// <summary>Schedules a re-evaluation of <paramref name="key"/> at <paramref name="dueUtc"/> on the cluster clock.</summary>
    protected void WakeAt(string key, DateTime dueUtc) => Context.WakeAt(this, key, dueUtc);
}
