namespace Spotalis.Simulator.Api;

/// <summary>
/// In-process subscribers (the controllers' informer cache, tests): every committed change is handed to them in commit
/// order while the write lock is held; a subscriber that writes queues its change behind the current one.
/// </summary>
public sealed partial class ClusterApi
{
    /// <inheritdoc />
    public IDisposable Subscribe(Action<ClusterChange> onChange)
    {
        ArgumentNullException.ThrowIfNull(onChange);
        lock (_gate)
        {
            _subscribers = [.. _subscribers, onChange];
        }

        return new Unsubscriber(() =>
        {
            lock (_gate)
            {
                _subscribers = _subscribers.Where(s => s != onChange).ToArray();
            }
        });
    }

    /// <summary>Hands undelivered changes to subscribers in commit order; nested writes queue behind the current one.</summary>
    private void Deliver()
    {
        if (_delivering)
        {
            return;
        }

        _delivering = true;
        try
        {
            while (_undelivered.TryDequeue(out var change))
            {
                foreach (var subscriber in _subscribers)
                {
                    try
                    {
                        subscriber(change);
                    }
                    catch (Exception ex) when (ex is not OutOfMemoryException)
                    {
                        _logger?.ChangeSubscriberFailed(ex, change.Type, change.Object.Kind, change.Object.Metadata.Name);
                    }
                }
            }
        }
        finally
        {
            _delivering = false;
        }
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                dispose();
            }
        }
    }
}
