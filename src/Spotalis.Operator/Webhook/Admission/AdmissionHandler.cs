using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Spotalis.Core.Capacity;
using Spotalis.Core.Nodes;
using Spotalis.Operator.Cache;
using Spotalis.Operator.Webhook.Placement;

namespace Spotalis.Operator.Webhook.Admission;

/// <summary>
/// The admission endpoint without HTTP: AdmissionReview JSON in, response out. Only pod CREATE is mutated; every
/// answer to a well-formed review allows the pod (internal failures allow it without a patch and count as
/// <c>error</c>); a body that is not an AdmissionReview gets status 400 with the reason. Serves Kestrel and, with
/// the same JSON, the what-if simulator's in-process admission chain.
/// </summary>
public sealed partial class AdmissionHandler
{
    private static readonly TimeSpan OwnerPollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// How long a pod waits for the watch to report the departure that made room for it. The deletion event normally
    /// arrives within milliseconds; a watch that takes longer is reconnecting, and waiting for it would only hold up
    /// the pod's creation.
    /// </summary>
    private static readonly TimeSpan WatchCatchUpTimeout = TimeSpan.FromMilliseconds(250);
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 128 };

    private readonly PodPlacementDecider _decider;
    private readonly WebhookMetrics _metrics;
    private readonly ILogger _logger;
    private readonly NodePreset _preset;
    private readonly LivePodReader? _livePods;

    /// <param name="livePods">Lists a revision's live pods from the API server (namespace, label selector), for the rare
    /// admission whose cache is behind a departure; null: decide from the view as it is (an in-process view that is
    /// updated before every admission is never behind).</param>
    public AdmissionHandler(
        IClusterView view,
        WebhookPlacementSettings settings,
        WebhookMetrics metrics,
        ILogger<AdmissionHandler> logger,
        TimeProvider? time = null,
        LivePodReader? livePods = null)
    {
        _livePods = livePods;
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(settings);
        _decider = new PodPlacementDecider(view, settings, time ?? TimeProvider.System);
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _preset = settings.Preset;
    }

    /// <summary>Answers one AdmissionReview; waits (blocking) for a pod's owner to reach the cache, at most <see cref="WebhookPlacementSettings.OwnerWaitTimeout"/>.</summary>
    public AdmissionResult Handle(ReadOnlyMemory<byte> body)
    {
        var started = Stopwatch.GetTimestamp();
        using var document = TryParse(body, out var invalid);
        if (document is null)
        {
            return Finish(invalid!, started);
        }

        var result = Evaluate(document.RootElement, mayWait: true, out var pending);
        while (pending is not null && Stopwatch.GetElapsedTime(started) < WaitLimit(pending.Value))
        {
            Thread.Sleep(OwnerPollInterval);
            result = Evaluate(document.RootElement, mayWait: true, out pending);
        }

        if (pending is not null)
        {
            result = Evaluate(document.RootElement, mayWait: false, out _);
        }

        return Finish(result, started);
    }

    /// <summary>Answers one AdmissionReview given as a string (the simulator's in-process admission plugin).</summary>
    public AdmissionResult Handle(string body) => Handle(Encoding.UTF8.GetBytes(body ?? ""));

    /// <summary>Answers one AdmissionReview; waits asynchronously for a pod's owner to reach the cache.</summary>
    public ValueTask<AdmissionResult> HandleAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default) =>
        HandleAsync(body, observed: true, cancellationToken);

    /// <param name="observed">False for the process's own warm-up review (<see cref="WebhookWarmUp"/>): answered like
    /// any other, but not counted in the admission metrics, which describe the cluster's pods.</param>
    public async ValueTask<AdmissionResult> HandleAsync(ReadOnlyMemory<byte> body, bool observed, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        using var document = TryParse(body, out var invalid);
        if (document is null)
        {
            return Finish(invalid!, started, observed);
        }

        var result = Evaluate(document.RootElement, mayWait: true, out var pending);
        if (pending == PlacementVerdict.WatchBehind && _livePods is not null && LiveQuery(document.RootElement) is { } query)
        {
            // The watch has not reported the pod that left: one consistent read of the revision's pods instead of a wait.
            var live = await ReadLiveAsync(query, cancellationToken).ConfigureAwait(false);
            return Finish(Evaluate(document.RootElement, mayWait: false, out _, live), started, observed);
        }

        while (pending is not null && Stopwatch.GetElapsedTime(started) < WaitLimit(pending.Value) &&
               !cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(OwnerPollInterval, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            result = Evaluate(document.RootElement, mayWait: true, out pending);
        }

        if (pending is not null)
        {
            result = Evaluate(document.RootElement, mayWait: false, out _);
        }

        return Finish(result, started, observed);
    }

    /// <summary>
    /// The in-process admission plugin form: AdmissionReview JSON in, AdmissionReview response JSON out. A review that
    /// is not valid throws <see cref="ArgumentException"/> with the reason (what the HTTP endpoint answers with 400).
    /// Register it on the simulator with
    /// <c>api.RegisterAdmissionPlugin(handler.ReviewAsync, "spotalis.io", ignoreFailures: true, TimeSpan.FromSeconds(2))</c>.
    /// </summary>
    public async Task<string> ReviewAsync(string review, CancellationToken cancellationToken)
    {
        var result = await HandleAsync(Encoding.UTF8.GetBytes(review ?? ""), cancellationToken).ConfigureAwait(false);
        return result.StatusCode == 200 ? result.BodyText : throw new ArgumentException(result.BodyText, nameof(review));
    }

    private AdmissionResult Finish(AdmissionResult result, long started, bool observed = true)
    {
        if (!observed)
        {
            return result;
        }

        _metrics.Count(result.Kind);
        _metrics.Duration.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        return result;
    }

    private JsonDocument? TryParse(ReadOnlyMemory<byte> body, out AdmissionResult? invalid)
    {
        invalid = null;
        if (body.IsEmpty)
        {
            invalid = Invalid("the request body is empty; expected an admission.k8s.io/v1 AdmissionReview");
            return null;
        }

        try
        {
            return JsonDocument.Parse(body, ParseOptions);
        }
        catch (JsonException ex)
        {
            invalid = Invalid($"the request body is not valid JSON: {ex.Message}");
            return null;
        }
    }

    private AdmissionResult Invalid(string message)
    {
        Log.AdmissionInvalid(_logger, message);
        return new AdmissionResult(400, Encoding.UTF8.GetBytes("invalid AdmissionReview: " + message), AdmissionResultKind.Invalid, message);
    }

    /// <summary>The namespace and label selector of the pod's revision, or null when the pod has none.</summary>
    private static (string Namespace, string Selector)? LiveQuery(JsonElement root)
    {
        if (!AdmissionReviewReader.TryRead(root, out var request, out _) || !request.IsPodCreate)
        {
            return null;
        }

        var pod = PodAdmission.From(request);
        return pod.Label("pod-template-hash") is { Length: > 0 } hash ? (pod.Namespace, "pod-template-hash=" + hash) : null;
    }

    private async Task<IReadOnlySet<string>?> ReadLiveAsync((string Namespace, string Selector) query, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(WatchCatchUpTimeout * 2);
        try
        {
            return await _livePods!(query.Namespace, query.Selector, timeout.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A failed read only means deciding with the cache's picture.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.AdmissionLiveReadFailed(_logger, ex.Message);
            return null;
        }
    }

    private TimeSpan WaitLimit(PlacementVerdict pending) =>
        pending == PlacementVerdict.WatchBehind && WatchCatchUpTimeout < _decider.Settings.OwnerWaitTimeout
            ? WatchCatchUpTimeout
            : _decider.Settings.OwnerWaitTimeout;

    /// <param name="mayWait">The caller can still wait for the watch (the owner or a departed pod to show up).</param>
    /// <param name="pendingOwner">Set when the cache is behind (owner missing, departure not reported) and asking again may help.</param>
    private AdmissionResult Evaluate(JsonElement root, bool mayWait, out PlacementVerdict? pendingOwner, IReadOnlySet<string>? liveNow = null)
    {
        pendingOwner = null;
        if (!AdmissionReviewReader.TryRead(root, out var request, out var error))
        {
            return Invalid(error);
        }

        try
        {
            if (!request.IsPodCreate)
            {
                return Allow(request, AdmissionResultKind.Skipped, $"{request.Operation} of {request.Kind} is not mutated");
            }

            var pod = PodAdmission.From(request);
            var spotConflict = UserConstraintCheck.FindConflict(pod.Spec, _preset.SpotSteering.RequiredNodeAffinity);
            var onDemandConflict = UserConstraintCheck.FindConflict(pod.Spec, _preset.OnDemandSteering.RequiredNodeAffinity);
            var outcome = _decider.Decide(pod, spotConflict, onDemandConflict, record: !request.DryRun, admissionId: request.Uid, mayWaitForWatch: mayWait && _livePods is not null, liveNow);
            switch (outcome.Verdict)
            {
                case PlacementVerdict.Place:
                    var decision = outcome.Decision!;
                    var patch = PodPatchBuilder.Build(pod, decision.CapacityType, decision.IsFallback, outcome.DeletionCost, _preset, request.Uid, outcome.FallbackSince);
                    _metrics.CountDecision(decision.CapacityType);
                    if (_logger.IsEnabled(LogLevel.Debug))
                    {
                        var capacityType = CapacityTypes.ToLabelValue(decision.CapacityType);
                        Log.AdmissionPlaced(_logger, outcome.Workload, capacityType, outcome.Reason);
                    }

                    return new AdmissionResult(200, AdmissionResponseWriter.Allow(request.Uid, patch), AdmissionResultKind.Patched, outcome.Reason);
                case PlacementVerdict.OwnerPending:
                case PlacementVerdict.WatchBehind:
                    pendingOwner = outcome.Verdict;
                    return Allow(request, AdmissionResultKind.Skipped, outcome.Reason);
                case PlacementVerdict.UserConstraint:
                    Log.AdmissionNotPlaced(_logger, outcome.Workload, outcome.Reason);
                    return Allow(request, AdmissionResultKind.Skipped, outcome.Reason);
                case PlacementVerdict.CacheUnavailable:
                    Log.AdmissionAllowedWithoutPatch(_logger, request.Uid, outcome.Reason, null);
                    return Allow(request, AdmissionResultKind.Error, outcome.Reason);
                default:
                    if (outcome.Workload is not null && _logger.IsEnabled(LogLevel.Debug))
                    {
                        Log.AdmissionLeft(_logger, outcome.Workload, outcome.Reason);
                    }

                    return Allow(request, AdmissionResultKind.Skipped, outcome.Reason);
            }
        }
#pragma warning disable CA1031 // Never block a pod: any failure allows it unpatched.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var reason = $"internal error, pod allowed without placement: {ex.GetType().Name}: {ex.Message}";
            Log.AdmissionAllowedWithoutPatch(_logger, request.Uid, reason, ex);
            return Allow(request, AdmissionResultKind.Error, reason);
        }
    }

    private static AdmissionResult Allow(AdmissionReviewRequest request, AdmissionResultKind kind, string reason) =>
        new(200, AdmissionResponseWriter.Allow(request.Uid), kind, reason);
}
