using System.Collections.Concurrent;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Spotalis.Operator.Observability;

namespace Spotalis.Operator.Cache;

/// <summary>
/// List+watch of one resource kind into a store of slim projections. Lists in pages, watches from the list's
/// resourceVersion with bookmarks, resumes from the last seen resourceVersion when a watch ends, and relists when
/// the server answers 410 Gone (the resourceVersion is too old). Failures, 410s and watches that end at once without
/// delivering anything back off exponentially (with jitter, capped) until a watch is healthy again.
/// </summary>
internal sealed class ResourceInformer<TObject, TList, TSlim>
    where TObject : IKubernetesObject<V1ObjectMeta>
    where TList : IKubernetesObject<V1ListMeta>, IItems<TObject>
    where TSlim : class
{
    private const int PageSize = 500;
    private static readonly TimeSpan InitialBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>A watch that lasted this long is healthy even if nothing changed meanwhile.</summary>
    private static readonly TimeSpan HealthyWatchDuration = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, TSlim> _store = new(StringComparer.Ordinal);
    private readonly Func<int, string?, CancellationToken, Task<TList>> _listPage;
    private readonly Func<string, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType Type, TObject Object)>> _watch;
    private readonly Func<TObject, TSlim> _project;
    private readonly Func<TSlim, TSlim, bool> _same;
    private readonly ILogger _logger;
    private readonly OperatorMetrics _metrics;
    private volatile bool _synced;

    /// <summary>The resourceVersion the next watch starts from: the list's, then each applied event's; null = relist.</summary>
    private string? _resumeFrom;

    /// <summary>Events the current (or last) watch delivered.</summary>
    private int _watchDelivered;

    public ResourceInformer(
        string resource,
        Func<int, string?, CancellationToken, Task<TList>> listPage,
        Func<string, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType Type, TObject Object)>> watch,
        Func<TObject, TSlim> project,
        Func<TSlim, TSlim, bool> same,
        ILogger logger,
        OperatorMetrics metrics)
    {
        Resource = resource;
        _listPage = listPage;
        _watch = watch;
        _project = project;
        _same = same;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>Raised after the store changed: key, old projection (null = added), new projection (null = deleted).</summary>
    public event Action<string, TSlim?, TSlim?>? Changed;

    public string Resource { get; }

    public bool HasSynced => _synced;

    public ICollection<TSlim> Values => _store.Values;

    public TSlim? Get(string key) => _store.GetValueOrDefault(key);

    public static string KeyOf(V1ObjectMeta metadata) =>
        string.IsNullOrEmpty(metadata.NamespaceProperty) ? metadata.Name : $"{metadata.NamespaceProperty}/{metadata.Name}";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = new RelistBackoff(InitialBackoff, MaxBackoff);
        _resumeFrom = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan delay;
            _watchDelivered = 0;
            try
            {
                _resumeFrom ??= await ListAsync(cancellationToken);
                var started = TimeProvider.System.GetTimestamp();
                var delivered = await WatchAsync(cancellationToken);
                if (delivered > 0 || TimeProvider.System.GetElapsedTime(started) >= HealthyWatchDuration)
                {
                    backoff.Reset();
                    delay = TimeSpan.Zero;
                }
                else
                {
                    delay = backoff.Next();
                    Log.WatchEndedEmpty(_logger, Resource, backoff.Failures, delay);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (IsGone(e))
            {
                _resumeFrom = null;
                delay = backoff.Next();
                Log.WatchExpired(_logger, Resource, backoff.Failures, delay);
            }
            catch (Exception e) when (_watchDelivered > 0)
            {
                // A watch that delivered events before it broke was healthy: resume at once from its last event, so
                // that the cache lags the cluster no longer than a reconnect (a growing backoff would leave it stale).
                backoff.Reset();
                delay = TimeSpan.Zero;
                Log.WatchBroke(_logger, Resource, _watchDelivered, e.Message, _resumeFrom);
            }
            catch (Exception e)
            {
                delay = backoff.Next();
                Log.ListWatchFailed(_logger, e, Resource, backoff.Failures, delay);
            }

            if (delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(delay, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            if (!cancellationToken.IsCancellationRequested)
            {
                _metrics.WatchRestarts.WithLabels(Resource).Inc();
            }
        }
    }

    private async Task<string> ListAsync(CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? continueToken = null;
        string resourceVersion;
        do
        {
            var page = await _listPage(PageSize, continueToken, cancellationToken);
            foreach (var item in page.Items)
            {
                var key = KeyOf(item.Metadata);
                seen.Add(key);
                Upsert(key, item);
            }

            continueToken = page.Metadata?.ContinueProperty;
            resourceVersion = page.Metadata?.ResourceVersion ?? "";
        }
        while (!string.IsNullOrEmpty(continueToken));

        foreach (var key in _store.Keys)
        {
            if (!seen.Contains(key) && _store.TryRemove(key, out var old))
            {
                Changed?.Invoke(key, old, null);
            }
        }

        _synced = true;
        Log.Listed(_logger, seen.Count, Resource, resourceVersion);
        return resourceVersion;
    }

    /// <summary>
    /// Watches from <see cref="_resumeFrom"/> until the stream ends; returns how many events arrived. Every event
    /// moves <see cref="_resumeFrom"/> on at once, so a watch that breaks midway resumes after its last applied event:
    /// resuming from where it started would replay old events into the store, bringing back for a while pods that are
    /// already gone (a Ready pod already evicted), which the reconciler and webhook would count.
    /// </summary>
    private async Task<int> WatchAsync(CancellationToken cancellationToken)
    {
        Exception? streamError = null;
        _watchDelivered = 0;
        await foreach (var (type, item) in _watch(_resumeFrom!, e => streamError = e, cancellationToken))
        {
            if (streamError is not null)
            {
                break;
            }

            if (item?.Metadata is null)
            {
                continue;
            }

            _watchDelivered++;
            switch (type)
            {
                case WatchEventType.Added:
                case WatchEventType.Modified:
                    Upsert(KeyOf(item.Metadata), item);
                    break;
                case WatchEventType.Deleted:
                    var key = KeyOf(item.Metadata);
                    if (_store.TryRemove(key, out var old))
                    {
                        Changed?.Invoke(key, old, null);
                    }

                    break;
                case WatchEventType.Bookmark:
                    break;
                default:
                    continue;
            }

            if (!string.IsNullOrEmpty(item.Metadata.ResourceVersion))
            {
                _resumeFrom = item.Metadata.ResourceVersion;
            }
        }

        if (streamError is not null)
        {
            throw streamError is KubernetesException ? streamError : new InvalidOperationException($"watch of {Resource} failed", streamError);
        }

        return _watchDelivered;
    }

    private void Upsert(string key, TObject item)
    {
        var slim = _project(item);
        var old = _store.GetValueOrDefault(key);
        _store[key] = slim;
        if (old is null || !_same(old, slim))
        {
            Changed?.Invoke(key, old, slim);
        }
    }

    private static bool IsGone(Exception e) => e switch
    {
        KubernetesException k => k.Status?.Code == 410,
        HttpOperationException h => (int)h.Response.StatusCode == 410,
        InvalidOperationException { InnerException: { } inner } => IsGone(inner),
        _ => false,
    };
}
