using Spotalis.Simulator.Api;

namespace Spotalis.Simulator.Cluster.Controllers;

/// <summary>
/// A level-triggered controller over one queue of keys: changes mark keys dirty (under the state lock, never calling
/// the API), and <see cref="RunOnceAsync"/> reconciles each dirty key once against the current cache, in
/// <paramref name="order"/> so a run is deterministic.
/// </summary>
internal abstract class WorkQueueController<TKey>(ControllerContext context, IComparer<TKey> order) : ClusterController(context)
    where TKey : notnull
{
    private static readonly TimeSpan ErrorBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan TooManyRequestsBackoff = TimeSpan.FromSeconds(5);
    private HashSet<TKey> _dirty = [];

    /// <inheritdoc/>
    public override bool HasWork => _dirty.Count > 0;

    /// <summary>Marks a key for reconciliation. Call under the state lock.</summary>
    public void MarkDirty(TKey key) => _dirty.Add(key);

    /// <inheritdoc/>
    public override async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        TKey[] keys;
        lock (Context.State.Sync)
        {
            if (_dirty.Count == 0)
            {
                return 0;
            }

            keys = [.. _dirty];
            _dirty = [];
        }

        Array.Sort(keys, order);
        await ReconcileBatchAsync(keys, cancellationToken).ConfigureAwait(false);
        return keys.Length;
    }

    /// <summary>Reconciles a batch of keys; controllers that share work across keys (the scheduler) override it.</summary>
    protected virtual async Task ReconcileBatchAsync(IReadOnlyList<TKey> keys, CancellationToken cancellationToken)
    {
        foreach (var key in keys)
        {
            await ReconcileGuardedAsync(key, ReconcileAsync, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs one reconciliation with the shared error policy: conflicts retry next round, 429s and failures after a back-off.</summary>
    protected async Task ReconcileGuardedAsync(TKey key, Func<TKey, CancellationToken, Task> reconcile, CancellationToken cancellationToken)
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
            WakeAt(key, Context.Now + TooManyRequestsBackoff);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Context.Logger.ReconcileFailed(ex, Name, key.ToString() ?? string.Empty);
            WakeAt(key, Context.Now + ErrorBackoff);
        }
    }

    protected abstract Task ReconcileAsync(TKey key, CancellationToken cancellationToken);

    /// <summary>Schedules a re-evaluation of <paramref name="key"/> at <paramref name="dueUtc"/> on the cluster clock.</summary>
    protected void WakeAt(TKey key, DateTime dueUtc) => Context.WakeAt(this, key, dueUtc);
}
