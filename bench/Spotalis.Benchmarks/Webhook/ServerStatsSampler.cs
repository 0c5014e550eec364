using System.Diagnostics.Metrics;

namespace Spotalis.Benchmarks.Webhook;

/// <summary>
/// Collects <see cref="ServerStats"/> in the server process: runtime counters on demand, Kestrel's TLS handshake
/// histogram through a <see cref="MeterListener"/>, and thread-pool and GC-pause peaks sampled every 20 ms.
/// </summary>
internal sealed class ServerStatsSampler : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Timer _timer;
    private readonly Lock _gate = new();
    private long _handshakes;
    private double _handshakeMs;
    private int _peakThreads;
    private long _peakQueued;
    private double _maxPauseMs;
    private long _lastGcIndex;

    public ServerStatsSampler()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Microsoft.AspNetCore.Server.Kestrel" && instrument.Name == "kestrel.tls_handshake.duration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, _, _) =>
        {
            lock (_gate)
            {
                _handshakes++;
                _handshakeMs += seconds * 1000;
            }
        });
        _listener.Start();
        _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(20));
    }

    public ServerStats Read()
    {
        lock (_gate)
        {
            var stats = new ServerStats(
                Environment.CpuUsage.TotalTime.TotalMilliseconds,
                GC.CollectionCount(0),
                GC.CollectionCount(1),
                GC.CollectionCount(2),
                GC.GetTotalPauseDuration().TotalMilliseconds,
                GC.GetTotalAllocatedBytes(),
                _handshakes,
                _handshakeMs,
                ThreadPool.CompletedWorkItemCount,
                _peakThreads,
                _peakQueued,
                _maxPauseMs);
            _peakThreads = 0;
            _peakQueued = 0;
            _maxPauseMs = 0;
            return stats;
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _listener.Dispose();
    }

    private void Sample()
    {
        var gc = GC.GetGCMemoryInfo(GCKind.Any);
        lock (_gate)
        {
            _peakThreads = Math.Max(_peakThreads, ThreadPool.ThreadCount);
            _peakQueued = Math.Max(_peakQueued, ThreadPool.PendingWorkItemCount);
            if (gc.Index != _lastGcIndex)
            {
                _lastGcIndex = gc.Index;
                foreach (var pause in gc.PauseDurations)
                {
                    _maxPauseMs = Math.Max(_maxPauseMs, pause.TotalMilliseconds);
                }
            }
        }
    }
}
