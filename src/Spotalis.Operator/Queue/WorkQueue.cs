using System.Threading.Channels;

namespace Spotalis.Operator.Queue;

/// <summary>
/// A deduplicating work queue in the style of client-go: a key is queued at most once; a key being processed is
/// never handed to a second worker, and if it is added meanwhile it is queued again when the worker is done.
/// Supports delayed adds (cooldowns, windows) and per-key exponential backoff after failures.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "A work queue in the client-go sense; the name says what it is.")]
public sealed class WorkQueue<TKey> : IDisposable
    where TKey : notnull
{
    private readonly Channel<TKey> _ready = Channel.CreateUnbounded<TKey>();
    private readonly HashSet<TKey> _dirty = [];
    private readonly HashSet<TKey> _processing = [];
    private readonly Dictionary<TKey, int> _failures = [];
    private readonly Dictionary<TKey, (ITimer Timer, DateTimeOffset Due)> _delayed = [];
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _baseBackoff;
    private readonly TimeSpan _maxBackoff;
    private bool _shuttingDown;

    public WorkQueue(TimeProvider time, TimeSpan? baseBackoff = null, TimeSpan? maxBackoff = null)
    {
        _time = time;
        _baseBackoff = baseBackoff ?? TimeSpan.FromMilliseconds(200);
        _maxBackoff = maxBackoff ?? TimeSpan.FromMinutes(2);
    }

    /// <summary>Keys waiting to be processed (not counting delayed ones).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _dirty.Count;
            }
        }
    }

    public void Add(TKey key)
    {
        lock (_lock)
        {
            if (_shuttingDown || !_dirty.Add(key))
            {
                return;
            }

            if (!_processing.Contains(key))
            {
                _ready.Writer.TryWrite(key);
            }
        }
    }

    /// <summary>Adds the key after a delay; an earlier pending delayed add of the same key wins.</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        lock (_lock)
        {
            if (_shuttingDown)
            {
                return;
            }

            var due = _time.GetUtcNow() + delay;
            if (_delayed.TryGetValue(key, out var existing))
            {
                if (existing.Due <= due)
                {
                    return;
                }

                _delayed.Remove(key);
                existing.Timer.Dispose();
            }

            ITimer? timer = null;
            timer = _time.CreateTimer(
                _ =>
                {
                    lock (_lock)
                    {
                        if (_delayed.TryGetValue(key, out var current) && ReferenceEquals(current.Timer, timer))
                        {
                            _delayed.Remove(key);
                        }
                    }

                    timer?.Dispose();
                    Add(key);
                },
                null,
                delay,
                Timeout.InfiniteTimeSpan);
            _delayed[key] = (timer, due);
        }
    }

    /// <summary>Adds the key after an exponential backoff that grows with each consecutive failure.</summary>
    public TimeSpan AddRateLimited(TKey key)
    {
        int failures;
        lock (_lock)
        {
            failures = _failures.GetValueOrDefault(key) + 1;
            _failures[key] = failures;
        }

        var delay = TimeSpan.FromTicks(Math.Min(_maxBackoff.Ticks, _baseBackoff.Ticks * (long)Math.Pow(2, Math.Min(failures - 1, 30))));
        AddAfter(key, delay);
        return delay;
    }

    /// <summary>Clears the key's failure count after a success.</summary>
    public void Forget(TKey key)
    {
        lock (_lock)
        {
            _failures.Remove(key);
        }
    }

    /// <summary>Waits for the next key; the caller must call <see cref="Done"/> when finished with it.</summary>
    public async ValueTask<TKey> GetAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var key = await _ready.Reader.ReadAsync(cancellationToken);
            lock (_lock)
            {
                if (_dirty.Remove(key))
                {
                    _processing.Add(key);
                    return key;
                }
            }
        }
    }

    public void Done(TKey key)
    {
        lock (_lock)
        {
            _processing.Remove(key);
            if (_dirty.Contains(key) && !_shuttingDown)
            {
                _ready.Writer.TryWrite(key);
            }
        }
    }

    /// <summary>Stops accepting work; workers blocked in <see cref="GetAsync"/> end when their token is cancelled.</summary>
    public void ShutDown()
    {
        lock (_lock)
        {
            _shuttingDown = true;
            foreach (var (timer, _) in _delayed.Values)
            {
                timer.Dispose();
            }

            _delayed.Clear();
            _ready.Writer.TryComplete();
        }
    }

    public void Dispose() => ShutDown();
}
