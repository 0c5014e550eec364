using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spotalis.Operator.Cache;
using Spotalis.Operator.Observability;

namespace Spotalis.Operator.Hosting;

/// <summary>
/// Checks at start and then periodically whether the webhook is in the admission path (see
/// <see cref="AdmissionPathProbe"/>). While it is not, <see cref="Problem"/> says why: the reconciler then stops the
/// evictions only the webhook could make useful, and the state is visible as <c>spotalis_webhook_in_path</c>, a log
/// line and a Warning Event.
/// </summary>
public sealed class AdmissionPathMonitor(
    AdmissionPathProbe probe,
    IClusterView view,
    string configurationName,
    TimeSpan interval,
    OperatorMetrics metrics,
    ILogger<AdmissionPathMonitor> logger) : BackgroundService
{
    private static readonly TimeSpan RecheckWhileOut = TimeSpan.FromSeconds(5);

    private const int FailuresToReport = 2;

    private volatile string? _problem;
    private int _failuresInARow;
    private string? _lastDetail;

    /// <summary>Why the webhook is not in the admission path; null when it is or nothing could be checked.</summary>
    public string? Problem => _problem;

    /// <summary>When a check last found the webhook placing pods; null before the first such check.</summary>
    public DateTimeOffset? ConfirmedAt { get; private set; }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => RunAsync(stoppingToken);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!view.IsSynced)
            {
                await Task.Delay(100, cancellationToken);
            }

            while (!cancellationToken.IsCancellationRequested)
            {
                await CheckOnceAsync(cancellationToken);

                // Out of the path, evictions are stopped: look again soon, so that a webhook that was just starting
                // (or a Service just fixed) lets them resume within seconds, not a whole interval.
                var outOfPath = _problem is not null || _failuresInARow > 0;
                await Task.Delay(!outOfPath || interval < RecheckWhileOut ? interval : RecheckWhileOut, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    public async Task CheckOnceAsync(CancellationToken cancellationToken)
    {
        (bool? InPath, string Detail) result;
        try
        {
            result = await probe.CheckAsync(configurationName, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.AdmissionPathCheckFailed(logger, e.Message);
            return;
        }

        var previous = _lastDetail;
        _lastDetail = result.Detail;
        switch (result.InPath)
        {
            case true:
                _failuresInARow = 0;
#pragma warning disable RS0030 // The admission path is checked in wall-clock time, like the webhook it checks.
                ConfirmedAt = DateTimeOffset.UtcNow;
#pragma warning restore RS0030
                if (_problem is not null)
                {
                    Log.AdmissionPathBack(logger, result.Detail);
                }

                _problem = null;
                metrics.WebhookInPath.Set(1);
                break;
            case false when AdmissionPathProbe.MeansNotInstalled(result.Detail):
                // Running without a webhook on purpose: evictions go on only while their replacements land where the
                // split needs them (futile moves pause them with a PlacementNotSteered Warning).
                if (previous != result.Detail)
                {
                    Log.AdmissionPathNotInstalled(logger, result.Detail);
                }

                _problem = null;
                metrics.WebhookInPath.Set(0);
                break;
            case false when ++_failuresInARow < FailuresToReport:
                // One failed check can be a slow webhook call under load or a webhook still starting: check again soon.
                Log.AdmissionPathFailedOnce(logger, result.Detail);
                break;
            case false:
                if (_problem != result.Detail)
                {
                    Log.AdmissionPathBroken(logger, result.Detail);
                }

                _problem = AdmissionPathProbe.ProblemOf(result.InPath, result.Detail);
                metrics.WebhookInPath.Set(0);
                break;
            default:
                Log.AdmissionPathNotChecked(logger, result.Detail);
                break;
        }
    }
}
