using Microsoft.Extensions.Logging;
using Spotalis.Core.Planning;
using Spotalis.Operator.Cache;
using Spotalis.Operator.Webhook.Certificates;

namespace Spotalis.Operator;

/// <summary>
/// Every log message of the operator assembly, source-generated. Event ids come from <see cref="LogEventIds"/>: one
/// range per area, so that a log pipeline can filter an area by id.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = LogEventIds.Hosting + 1, Level = LogLevel.Information,
        Message = "Starting Spotalis operator {Identity} (namespace: {Namespace}, read-only: {ReadOnly}, leader election: {LeaderElection})")]
    public static partial void Starting(ILogger logger, string identity, string @namespace, bool readOnly, bool leaderElection);

    [LoggerMessage(EventId = LogEventIds.Hosting + 2, Level = LogLevel.Warning, Message = "Configuration: {Notice}")]
    public static partial void ConfigurationNotice(ILogger logger, string notice);

    [LoggerMessage(EventId = LogEventIds.Hosting + 3, Level = LogLevel.Information, Message = "Shutting down: finishing in-flight work")]
    public static partial void ControllerStopping(ILogger logger);

    [LoggerMessage(EventId = LogEventIds.Hosting + 4, Level = LogLevel.Information, Message = "Stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = LogEventIds.Hosting + 5, Level = LogLevel.Warning,
        Message = "Could not read nodes and NodePools to detect the provider ({Error}); nodeClassifier.preset {Configured} uses {Preset}")]
    public static partial void DiscoveryFailed(ILogger logger, string error, string configured, string preset);

    [LoggerMessage(EventId = LogEventIds.Hosting + 6, Level = LogLevel.Warning, Message = "nodeClassifier.preset auto: {Finding}")]
    public static partial void AutoPresetNotFound(ILogger logger, string finding);

    [LoggerMessage(EventId = LogEventIds.Hosting + 7, Level = LogLevel.Information, Message = "nodeClassifier.preset {Configured}: {Finding}")]
    public static partial void PresetDiscovered(ILogger logger, string configured, string finding);

    [LoggerMessage(EventId = LogEventIds.Hosting + 8, Level = LogLevel.Warning,
        Message = "No Karpenter NodePool allows spot: pods are steered to spot only while spot nodes exist")]
    public static partial void NoNodePoolAllowsSpot(ILogger logger);

    [LoggerMessage(EventId = LogEventIds.Controller + 1, Level = LogLevel.Information, Message = "Cache synced; starting {Workers} workers")]
    public static partial void ControllerStarted(ILogger logger, int workers);

    [LoggerMessage(EventId = LogEventIds.Controller + 2, Level = LogLevel.Debug, Message = "Reconcile of {Workload} failed; retrying in {Delay}")]
    public static partial void ReconcileRetry(ILogger logger, object workload, TimeSpan delay);

    [LoggerMessage(EventId = LogEventIds.WebhookServer + 1, Level = LogLevel.Information, Message = "Admission webhook listening on {Address}")]
    public static partial void WebhookListening(ILogger logger, string address);

    [LoggerMessage(EventId = LogEventIds.WebhookServer + 2, Level = LogLevel.Information, Message = "Admission webhook answered its warm-up review in {Milliseconds} ms; ready")]
    public static partial void WebhookWarmedUp(ILogger logger, long milliseconds);

    [LoggerMessage(EventId = LogEventIds.WebhookServer + 3, Message = "Admission webhook not ready (/readyz 503), retrying its warm-up review in {Retry}: {Reason}")]
    public static partial void WebhookWarmUpFailed(ILogger logger, LogLevel level, TimeSpan retry, string reason);

    [LoggerMessage(EventId = LogEventIds.Certificates + 1, Level = LogLevel.Information, Message = "Serving certificate loaded from {Path}: {Subject}, valid until {NotAfter:u}")]
    public static partial void CertificateLoaded(ILogger logger, string path, string subject, DateTime notAfter);

    [LoggerMessage(EventId = LogEventIds.Certificates + 2, Level = LogLevel.Warning, Message = "Certificate files at {Path} not usable (keeping the current certificate): {Reason}")]
    public static partial void CertificateUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = LogEventIds.Admission + 10, Level = LogLevel.Warning, Message = "Admission decided locally, the leader's webhook {Leader} did not answer: {Reason}")]
    public static partial void AdmissionDecidedLocally(ILogger logger, string leader, string reason);

    [LoggerMessage(EventId = LogEventIds.Admission + 1, Level = LogLevel.Debug, Message = "Webhook placed a pod of {Workload} on {CapacityType}: {Reason}")]
    public static partial void AdmissionPlaced(ILogger logger, WorkloadRef? workload, string capacityType, string reason);

    [LoggerMessage(EventId = LogEventIds.Admission + 2, Level = LogLevel.Debug, Message = "Webhook left a pod of {Workload} unchanged: {Reason}")]
    public static partial void AdmissionLeft(ILogger logger, WorkloadRef workload, string reason);

    [LoggerMessage(EventId = LogEventIds.Admission + 5, Level = LogLevel.Information, Message = "Webhook did not place a pod of {Workload}: {Reason}")]
    public static partial void AdmissionNotPlaced(ILogger logger, WorkloadRef? workload, string reason);

    [LoggerMessage(EventId = LogEventIds.Admission + 3, Level = LogLevel.Warning, Message = "Webhook allowed request {Uid} without a patch: {Reason}")]
    public static partial void AdmissionAllowedWithoutPatch(ILogger logger, string uid, string reason, Exception? exception);

    [LoggerMessage(EventId = LogEventIds.Admission + 6, Level = LogLevel.Debug, Message = "Webhook could not list live pods past a lagging watch, deciding from the cache: {Reason}")]
    public static partial void AdmissionLiveReadFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = LogEventIds.Admission + 4, Level = LogLevel.Warning, Message = "Webhook rejected a malformed AdmissionReview: {Reason}")]
    public static partial void AdmissionInvalid(ILogger logger, string reason);

    [LoggerMessage(EventId = LogEventIds.SelfManagedCertificates + 1, Level = LogLevel.Information, Message = "Webhook serving the self-managed certificate, valid until {NotAfter:u}")]
    public static partial void SelfManagedServing(ILogger logger, DateTime notAfter);

    [LoggerMessage(EventId = LogEventIds.SelfManagedCertificates + 2, Level = LogLevel.Information, Message = "Webhook certificates renewed ({Renewal}): {Reason}")]
    public static partial void SelfManagedRenewed(ILogger logger, CertificateRenewal renewal, string reason);

    [LoggerMessage(EventId = LogEventIds.SelfManagedCertificates + 3, Level = LogLevel.Information, Message = "MutatingWebhookConfiguration {Name} written with the current caBundle")]
    public static partial void SelfManagedConfigured(ILogger logger, string name);

    [LoggerMessage(EventId = LogEventIds.SelfManagedCertificates + 4, Level = LogLevel.Error, Message = "Webhook self-managed certificates could not be ensured (pods are admitted unplaced meanwhile): {Reason}")]
    public static partial void SelfManagedFailed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(EventId = LogEventIds.LeaderDirectory + 1, Level = LogLevel.Information, Message = "Leader advertises its admission webhook at {Endpoint} in the Lease")]
    public static partial void LeaderAdvertised(ILogger logger, Uri endpoint);

    [LoggerMessage(EventId = LogEventIds.LeaderDirectory + 2, Level = LogLevel.Information, Message = "Admission goes to the leader {Leader}: {Endpoint}")]
    public static partial void LeaderEndpoint(ILogger logger, string leader, Uri endpoint);

    [LoggerMessage(EventId = LogEventIds.LeaderDirectory + 4, Level = LogLevel.Information, Message = "Admission goes to the leader {Leader}: none (admission decided locally)")]
    public static partial void NoLeaderEndpoint(ILogger logger, string leader);

    [LoggerMessage(EventId = LogEventIds.LeaderDirectory + 3, Level = LogLevel.Debug, Message = "Could not read the leader-election Lease: {Reason}")]
    public static partial void LeaseReadFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = LogEventIds.Reconciler + 1, Level = LogLevel.Error, Message = "Reconcile of {Workload} failed")]
    public static partial void ReconcileFailed(ILogger logger, Exception exception, WorkloadRef workload);

    [LoggerMessage(EventId = LogEventIds.Reconciler + 2, Level = LogLevel.Information, Message = "Policy of {Workload} uses a Go-release form: {Notes}")]
    public static partial void GoPolicyForm(ILogger logger, WorkloadRef workload, string notes);

    [LoggerMessage(EventId = LogEventIds.Reconciler + 3, Level = LogLevel.Debug, Message = "Reconciled {Workload} ({Uid}): {State}, {Reason}")]
    public static partial void Reconciled(ILogger logger, WorkloadRef workload, string uid, WorkloadState state, string reason);

    [LoggerMessage(EventId = LogEventIds.Reconciler + 4, Level = LogLevel.Debug, Message = "Global eviction rate limit reached; {Workload} retries in {Delay}")]
    public static partial void EvictionRateLimited(ILogger logger, WorkloadRef workload, TimeSpan delay);

    [LoggerMessage(EventId = LogEventIds.Reconciler + 5, Level = LogLevel.Information, Message = "Evicted {Pod} of {Workload} from {From} to move it to {To}: {Reason}")]
    public static partial void Evicted(ILogger logger, string pod, WorkloadRef workload, string from, string to, string reason);

    [LoggerMessage(EventId = LogEventIds.Reconciler + 6, Level = LogLevel.Information, Message = "Eviction of {Pod} of {Workload} blocked by a PodDisruptionBudget; retrying in {Delay}: {Message}")]
    public static partial void EvictionBlocked(ILogger logger, string pod, WorkloadRef workload, TimeSpan delay, string? message);

    [LoggerMessage(EventId = LogEventIds.Reconciler + 7, Level = LogLevel.Warning, Message = "Eviction of {Pod} of {Workload} failed: {Message}")]
    public static partial void EvictionFailed(ILogger logger, string pod, WorkloadRef workload, string? message);

    [LoggerMessage(EventId = LogEventIds.Reconciler + 8, Level = LogLevel.Information, Message = "Reclaiming spot for {Workload}: {Reason}")]
    public static partial void Reclaiming(ILogger logger, WorkloadRef workload, string reason);

    [LoggerMessage(EventId = LogEventIds.Reconciler + 9, Level = LogLevel.Warning, Message = "Spot capacity is unavailable for {Workload}: {Reason}")]
    public static partial void SpotUnavailable(ILogger logger, WorkloadRef workload, string reason);

    [LoggerMessage(EventId = LogEventIds.Reconciler + 10, Level = LogLevel.Information, Message = "Placement of {Workload} is steered again: {Pod} landed on {To}; evictions resume")]
    public static partial void PlacementSteeredAgain(ILogger logger, WorkloadRef workload, string pod, string to);

    [LoggerMessage(EventId = LogEventIds.Reconciler + 11, Level = LogLevel.Information, Message = "Futile move for {Workload} ({Count} in a row): {What}")]
    public static partial void FutileMove(ILogger logger, WorkloadRef workload, int count, string what);

    [LoggerMessage(EventId = LogEventIds.Reconciler + 12, Level = LogLevel.Information, Message = "The webhook is in the admission path again; evictions of {Workload} resume")]
    public static partial void EvictionsResume(ILogger logger, WorkloadRef workload);

    [LoggerMessage(EventId = LogEventIds.Reconciler + 13, Level = LogLevel.Warning, Message = "Placement of {Workload} is not steered: {Message}")]
    public static partial void PlacementNotSteered(ILogger logger, WorkloadRef workload, string message);

    [LoggerMessage(EventId = LogEventIds.Reconciler + 14, Level = LogLevel.Information, Message = "Read-only: would evict {Pod} of {Workload} from {From} to move it to {To}: {Reason}")]
    public static partial void WouldEvict(ILogger logger, string pod, WorkloadRef workload, string from, string to, string reason);

    [LoggerMessage(EventId = LogEventIds.Reconciler + 15, Level = LogLevel.Warning, Message = "Invalid policy on {Workload}: {Key}={Value}: {Message}; running all replicas on on-demand")]
    public static partial void InvalidPolicy(ILogger logger, WorkloadRef workload, string key, string? value, string message);

    [LoggerMessage(EventId = LogEventIds.Reconciler + 16, Level = LogLevel.Information, Message = "{Limit} workloads have their own spotalis_workload_* series (metrics.perWorkloadSeriesLimit): {Workload} and further workloads are counted in spotalis_workloads only")]
    public static partial void PerWorkloadSeriesLimitReached(ILogger logger, int limit, WorkloadRef workload);

    [LoggerMessage(EventId = LogEventIds.AdmissionPath + 1, Level = LogLevel.Warning, Message = "Could not check whether the webhook is in the admission path: {Message}")]
    public static partial void AdmissionPathCheckFailed(ILogger logger, string message);

    [LoggerMessage(EventId = LogEventIds.AdmissionPath + 2, Level = LogLevel.Information, Message = "The webhook is in the admission path again ({Detail}); evictions resume")]
    public static partial void AdmissionPathBack(ILogger logger, string detail);

    [LoggerMessage(EventId = LogEventIds.AdmissionPath + 3, Level = LogLevel.Warning, Message = "The webhook is not in the admission path: {Detail}. New pods are not placed; evictions pause as soon as replacements land on the wrong capacity type")]
    public static partial void AdmissionPathNotInstalled(ILogger logger, string detail);

    [LoggerMessage(EventId = LogEventIds.AdmissionPath + 4, Level = LogLevel.Debug, Message = "Admission path check failed once: {Detail}")]
    public static partial void AdmissionPathFailedOnce(ILogger logger, string detail);

    [LoggerMessage(EventId = LogEventIds.AdmissionPath + 5, Level = LogLevel.Warning, Message = "The webhook is not in the admission path: {Detail}. Evictions stop until it is, because replacements would not be placed")]
    public static partial void AdmissionPathBroken(ILogger logger, string detail);

    [LoggerMessage(EventId = LogEventIds.AdmissionPath + 6, Level = LogLevel.Debug, Message = "Admission path not checked: {Detail}")]
    public static partial void AdmissionPathNotChecked(ILogger logger, string detail);

    [LoggerMessage(EventId = LogEventIds.Cache + 1, Level = LogLevel.Debug, Message = "Watch of {Resource} ended at once without events ({Failures} in a row); rewatching in {Delay}")]
    public static partial void WatchEndedEmpty(ILogger logger, string resource, int failures, TimeSpan delay);

    [LoggerMessage(EventId = LogEventIds.Cache + 2, Level = LogLevel.Information, Message = "Watch of {Resource} expired (410 Gone, {Failures} in a row); relisting in {Delay}")]
    public static partial void WatchExpired(ILogger logger, string resource, int failures, TimeSpan delay);

    [LoggerMessage(EventId = LogEventIds.Cache + 3, Level = LogLevel.Debug, Message = "Watch of {Resource} broke after {Delivered} events ({Reason}); resuming from resourceVersion {ResourceVersion}")]
    public static partial void WatchBroke(ILogger logger, string resource, long delivered, string reason, string? resourceVersion);

    [LoggerMessage(EventId = LogEventIds.Cache + 4, Level = LogLevel.Warning, Message = "List/watch of {Resource} failed ({Failures} in a row); retrying in {Delay}")]
    public static partial void ListWatchFailed(ILogger logger, Exception exception, string resource, int failures, TimeSpan delay);

    [LoggerMessage(EventId = LogEventIds.Cache + 5, Level = LogLevel.Debug, Message = "Listed {Count} {Resource} at resourceVersion {ResourceVersion}")]
    public static partial void Listed(ILogger logger, int count, string resource, string? resourceVersion);

    [LoggerMessage(EventId = LogEventIds.Leadership + 1, Level = LogLevel.Information, Message = "{Identity} became the leader (Lease {Namespace}/{Lease})")]
    public static partial void BecameLeader(ILogger logger, string identity, string @namespace, string lease);

    [LoggerMessage(EventId = LogEventIds.Leadership + 2, Level = LogLevel.Information, Message = "{Identity} stopped leading (shutting down)")]
    public static partial void StoppedLeading(ILogger logger, string identity);

    [LoggerMessage(EventId = LogEventIds.Leadership + 3, Level = LogLevel.Warning, Message = "{Identity} lost leadership")]
    public static partial void LostLeadership(ILogger logger, string identity);

    [LoggerMessage(EventId = LogEventIds.Leadership + 4, Level = LogLevel.Debug, Message = "Leader election attempt failed")]
    public static partial void ElectionAttemptFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = LogEventIds.Leadership + 5, Level = LogLevel.Information, Message = "{Identity} released the lease")]
    public static partial void LeaseReleased(ILogger logger, string identity);

    [LoggerMessage(EventId = LogEventIds.Leadership + 6, Level = LogLevel.Warning, Message = "Could not release the lease; followers take over when it expires")]
    public static partial void LeaseNotReleased(ILogger logger, Exception exception);

    [LoggerMessage(EventId = LogEventIds.Events + 1, Level = LogLevel.Information, Message = "events.k8s.io/v1 is not served; recording core/v1 Events")]
    public static partial void CoreEventsFallback(ILogger logger);

    [LoggerMessage(EventId = LogEventIds.Events + 2, Level = LogLevel.Warning, Message = "Could not record {Reason} Event on {Workload}")]
    public static partial void EventNotRecorded(ILogger logger, Exception exception, string reason, WorkloadRef workload);

    [LoggerMessage(EventId = LogEventIds.Events + 3, Level = LogLevel.Debug, Message = "Could not count Event {Name} again: {Message}")]
    public static partial void EventNotCounted(ILogger logger, string name, string message);
}
