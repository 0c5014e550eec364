namespace Spotalis.Simulator.Faults;

/// <summary>
/// Which faults the simulator's HTTP API injects. Immutable: switch faults on and off at run time by handing a new
/// value to <see cref="FaultInjector.Configure"/>. <see cref="None"/> injects nothing.
/// </summary>
public sealed record FaultOptions
{
    public static readonly FaultOptions None = new();

    /// <summary>Share (0-1) of matching requests answered with one of <see cref="ErrorStatusCodes"/> instead of being served.</summary>
    public double ErrorRate { get; init; }

    /// <summary>Status codes for injected errors, picked at random (500, 503 and 429 with Retry-After by default).</summary>
    public IReadOnlyList<int> ErrorStatusCodes { get; init; } = [500, 503, 429];

    /// <summary>Verbs whose requests may fail (get, list, watch, create, update, patch, delete); empty = every verb.</summary>
    public IReadOnlySet<string> ErrorVerbs { get; init; } = new HashSet<string>();

    /// <summary>Resources (RBAC style, e.g. <c>pods/eviction</c>) whose requests may fail; empty = every resource.</summary>
    public IReadOnlySet<string> ErrorResources { get; init; } = new HashSet<string>();

    /// <summary>Delay added before every resource request is served.</summary>
    public TimeSpan AddedLatency { get; init; }

    /// <summary>When set, every watch connection is cut (TCP reset) after a random time between half this and this.</summary>
    public TimeSpan? DropWatchesAfter { get; init; }

    /// <summary>
    /// A watch that resumes from a resourceVersion gets an ERROR event with 410 Expired, forcing a relist; each resume
    /// point expires once (as a real watch cache does, a fresh list's version is served).
    /// </summary>
    public bool ExpireWatchResumes { get; init; }

    /// <summary>
    /// Every watch that resumes from a resourceVersion gets 410 Expired, again and again (a watch cache that lost its
    /// history for good); only a watch from a fresh list's version 0 is served. Tests a client's relist backoff.
    /// </summary>
    public bool ExpireEveryWatchResume { get; init; }

    /// <summary>
    /// When set, GET and LIST requests (not watches) are answered with the response the same request got at least
    /// this long ago (its old objects and resourceVersions), as a lagging API cache would; writes still go to the
    /// current state, so an update built on a stale read gets 409 Conflict. Responses are recorded while the fault is
    /// on, so for the first interval reads are fresh.
    /// </summary>
    public TimeSpan? StaleReads { get; init; }

    /// <summary>How the simulator's calls to mutating admission webhooks fail (pods are still created when the webhook's failurePolicy is Ignore).</summary>
    public WebhookOutage WebhookOutage { get; init; }

    /// <summary>Share (0-1) of update and patch requests answered with 409 Conflict.</summary>
    public double ConflictRate { get; init; }

    /// <summary>
    /// When set, an eviction is held this long before it is served. It is served even if the client gave up or died
    /// meanwhile, as an apiserver that received the request would.
    /// </summary>
    public TimeSpan? EvictionHang { get; init; }

    /// <summary>True when any fault is switched on.</summary>
    public bool Any =>
        ErrorRate > 0 || AddedLatency > TimeSpan.Zero || DropWatchesAfter is not null || ExpireWatchResumes || ConflictRate > 0 || EvictionHang is not null ||
        ExpireEveryWatchResume || StaleReads is not null || WebhookOutage != WebhookOutage.None;
}
