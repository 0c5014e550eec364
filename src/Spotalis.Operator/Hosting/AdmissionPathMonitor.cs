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
    ILogger<AdmissionPathMonitor> logger)
{
    private volatile string? _problem;
    private string? _lastDetail;

    /// <summary>Why the webhook is not in the admission path; null when it is or nothing could be checked.</summary>
    public string? Problem => _problem;

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
                await Task.Delay(interval, cancellationToken);
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
            logger.LogWarning("Could not check whether the webhook is in the admission path: {Message}", e.Message);
            return;
        }

        var previous = _lastDetail;
        _lastDetail = result.Detail;
        switch (result.InPath)
        {
            case true:
                if (_problem is not null)
                {
                    logger.LogInformation("The webhook is in the admission path again ({Detail}); evictions resume", result.Detail);
                }

                _problem = null;
                metrics.WebhookInPath.Set(1);
                break;
            case false when AdmissionPathProbe.MeansNotInstalled(result.Detail):
                // Running without a webhook on purpose: evictions go on only while their replacements land where the
                // split needs them (futile moves pause them with a PlacementNotSteered Warning).
                if (previous != result.Detail)
                {
                    logger.LogWarning("The webhook is not in the admission path: {Detail}. New pods are not placed; evictions pause as soon as replacements land on the wrong capacity type",
                        result.Detail);
                }

                _problem = null;
                metrics.WebhookInPath.Set(0);
                break;
            case false:
                if (_problem != result.Detail)
                {
                    logger.LogWarning("The webhook is not in the admission path: {Detail}. Evictions stop until it is, because replacements would not be placed",
                        result.Detail);
                }

                _problem = result.Detail;
                metrics.WebhookInPath.Set(0);
                break;
            default:
                logger.LogDebug("Admission path not checked: {Detail}", result.Detail);
                break;
        }
    }
}
