using System.Globalization;
using System.Net;
using System.Net.Sockets;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spotalis.Operator.Configuration;

namespace Spotalis.Operator.Leadership;

/// <summary>
/// Where the leader's admission webhook can be reached, so that every replica can hand admission to one process and
/// placement is decided as if one replica served the webhook (DESIGN.md invariant 10). The leader advertises its own
/// endpoint in an annotation of the leader-election Lease (<see cref="AnnotationKey"/>: <c>identity url</c>); every
/// replica reads the Lease once per <c>retryPeriod</c> (get and update only, the verbs leader election already has).
/// A follower uses the endpoint only while the annotation names the Lease's current holder and that holder keeps
/// renewing: a Lease that has not changed for <c>leaseDuration</c> means the leader is gone.
/// </summary>
public sealed partial class LeaderWebhookDirectory : BackgroundService
{
    public const string AnnotationKey = "spotalis.io/leader-webhook";

    private readonly IKubernetes _client;
    private readonly LeaderElectionSettings _settings;
    private readonly ILeadership _leadership;
    private readonly Func<Uri?> _ownEndpoint;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private volatile Uri? _leaderEndpoint;
    private string? _lastRecord;
    private DateTimeOffset _lastChange;

    /// <param name="ownEndpoint">This replica's webhook URL as other replicas reach it (null while not serving yet).</param>
    public LeaderWebhookDirectory(IKubernetes client, LeaderElectionSettings settings, ILeadership leadership, Func<Uri?> ownEndpoint, TimeProvider time, ILogger<LeaderWebhookDirectory> logger)
    {
        _client = client;
        _settings = settings;
        _leadership = leadership;
        _ownEndpoint = ownEndpoint;
        _time = time;
        _logger = logger;

        // A new leader advertises at once instead of at its next period.
        leadership.StartedLeading += Wake;
    }

    /// <summary>Reads (and, as leader, advertises) now rather than at the next period, e.g. once the webhook listens.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already woken.
            }
        }
    }

    /// <summary>The current leader's webhook URL; null when this replica leads, or no live leader is known.</summary>
    public Uri? LeaderEndpoint => _leadership.IsLeader ? null : _leaderEndpoint;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => RunAsync(stoppingToken);

    /// <summary>Reads (and, as leader, advertises in) the Lease every retry period until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException or TimeoutException or OperationCanceledException)
            {
                Log.LeaseReadFailed(_logger, e.Message);
            }

            try
            {
                await _wake.WaitAsync(_settings.RetryPeriod, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        _leaderEndpoint = null;
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    /// <summary>The address other replicas reach this one at: a specific listen address, else POD_IP, else the host name's address.</summary>
    public static string AdvertisedHost(string listenAddress)
    {
        if (IPAddress.TryParse(listenAddress, out var listen) && !listen.Equals(IPAddress.Any) && !listen.Equals(IPAddress.IPv6Any))
        {
            return listen.ToString();
        }

        if (Environment.GetEnvironmentVariable("POD_IP") is { Length: > 0 } podIp && IPAddress.TryParse(podIp, out _))
        {
            return podIp;
        }

        try
        {
            // In a pod the host name resolves to the pod IP.
            var address = Dns.GetHostAddresses(Dns.GetHostName())
                .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
            return address?.ToString() ?? IPAddress.Loopback.ToString();
        }
        catch (SocketException)
        {
            return IPAddress.Loopback.ToString();
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        V1Lease lease;
        try
        {
            lease = await _client.CoordinationV1.ReadNamespacedLeaseAsync(_settings.LeaseName, _settings.LeaseNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            _leaderEndpoint = null;
            return;
        }

        var holder = lease.Spec?.HolderIdentity ?? "";
        var advertised = lease.Metadata.Annotations?.TryGetValue(AnnotationKey, out var value) == true ? value : null;
        var now = _time.GetUtcNow();

        // Judge liveness by when this replica saw the Lease change, not by the holder's clock.
        var record = string.Create(CultureInfo.InvariantCulture, $"{holder}|{lease.Spec?.RenewTime:O}|{advertised}");
        if (record != _lastRecord)
        {
            _lastRecord = record;
            _lastChange = now;
        }

        if (_leadership.IsLeader && holder == _leadership.Identity)
        {
            _leaderEndpoint = null;
            if (_ownEndpoint() is { } own && advertised != Advertisement(_leadership.Identity, own))
            {
                lease.Metadata.Annotations ??= new Dictionary<string, string>();
                lease.Metadata.Annotations[AnnotationKey] = Advertisement(_leadership.Identity, own);
                try
                {
                    await _client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, _settings.LeaseName, _settings.LeaseNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
                    Log.LeaderAdvertised(_logger, own);
                }
                catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
                {
                    // A renewal raced this update; advertise again next period.
                }
            }

            return;
        }

        var live = holder.Length > 0 && now - _lastChange < _settings.LeaseDuration;
        var endpoint = live && advertised is not null && Parse(advertised) is { } parsed && parsed.Identity == holder ? parsed.Url : null;
        if (endpoint != _leaderEndpoint)
        {
            if (endpoint is null)
            {
                Log.NoLeaderEndpoint(_logger, holder);
            }
            else
            {
                Log.LeaderEndpoint(_logger, holder, endpoint);
            }
        }

        _leaderEndpoint = endpoint;
    }

    private static string Advertisement(string identity, Uri url) => $"{identity} {url}";

    private static (string Identity, Uri Url)? Parse(string advertised)
    {
        var space = advertised.LastIndexOf(' ');
        return space > 0 && Uri.TryCreate(advertised[(space + 1)..], UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps
            ? (advertised[..space], url)
            : null;
    }
}
