using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Spotalis.Simulator.Api;
using Spotalis.Simulator.Http;

namespace Spotalis.Simulator.Faults;

/// <summary>
/// ASP.NET middleware in front of the simulator's API handler that breaks the API on purpose (errors, latency,
/// dropped or expired watches, stale reads, conflicts, hanging evictions) as <see cref="Current"/> says, and records every
/// resource request it sees (verb and resource) so tests can check which calls a client made. It also fails the
/// simulated apiserver's own calls to admission webhooks (<see cref="BeforeWebhookCallAsync"/>).
/// </summary>
/// <example>
/// <code>
/// var faults = new FaultInjector();
/// await using var server = await SimulatorServer.StartAsync(new SimulatorServerOptions { Faults = faults });
/// faults.Configure(new FaultOptions { ErrorRate = 0.2 });   // 20 % of requests now fail with 500/503/429
/// faults.Configure(FaultOptions.None);                        // healthy again
/// </code>
/// </example>
public sealed class FaultInjector
{
    private readonly ConcurrentDictionary<ApiRequest, long> _requests = new();
    private readonly ConcurrentDictionary<(string Resource, string Version), byte> _expiredResumePoints = new();
    private readonly ReadHistory _readHistory = new();
    private readonly Random _random;
    private readonly Lock _randomLock = new();
    private volatile FaultOptions _current = FaultOptions.None;
    private long _errors;
    private long _delayed;
    private long _watchesDropped;
    private long _watchesExpired;
    private long _conflicts;
    private long _evictionsHeld;
    private long _staleReads;
    private long _webhookCallsFailed;

    public FaultInjector(int? seed = null) => _random = seed is { } s ? new Random(s) : new Random();

    /// <summary>The faults injected from now on.</summary>
    public FaultOptions Current => _current;

    /// <summary>Faults injected so far.</summary>
    public FaultCounts Counts => new(
        Interlocked.Read(ref _errors), Interlocked.Read(ref _delayed), Interlocked.Read(ref _watchesDropped),
        Interlocked.Read(ref _watchesExpired), Interlocked.Read(ref _conflicts), Interlocked.Read(ref _evictionsHeld),
        Interlocked.Read(ref _staleReads), Interlocked.Read(ref _webhookCallsFailed));

    /// <summary>Every resource request served or failed so far (with namespace and name), and how often it was made.</summary>
    public IReadOnlyDictionary<ApiRequest, long> Requests => new Dictionary<ApiRequest, long>(_requests);

    /// <summary>How many requests with this verb on this resource (RBAC style, e.g. <c>pods/eviction</c>) were made.</summary>
    public long CountOf(string verb, string rbacResource) =>
        _requests.Where(p => p.Key.Verb == verb && p.Key.RbacResource == rbacResource).Sum(p => p.Value);

    public void Configure(FaultOptions options)
    {
        _current = options ?? throw new ArgumentNullException(nameof(options));
        if (options.StaleReads is null)
        {
            _readHistory.Clear();
        }
    }

    /// <summary>
    /// Called by the simulated apiserver before each call to a mutating admission webhook (wire it with
    /// <c>ClusterApiOptions.BeforeWebhookCall</c>): throws as a refused connection, or waits until the call's deadline,
    /// while <see cref="FaultOptions.WebhookOutage"/> says so.
    /// </summary>
    public async Task BeforeWebhookCallAsync(string webhookName, CancellationToken cancellationToken)
    {
        switch (_current.WebhookOutage)
        {
            case WebhookOutage.ConnectionRefused:
                Interlocked.Increment(ref _webhookCallsFailed);
                throw new HttpRequestException(HttpRequestError.ConnectionError, $"injected fault: connection to webhook {webhookName} refused");
            case WebhookOutage.Timeout:
                Interlocked.Increment(ref _webhookCallsFailed);
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>The middleware: <c>app.Use(faults.InvokeAsync)</c>.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var request = ApiRequest.From(context.Request);
        if (request is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        _requests.AddOrUpdate(request, 1, (_, n) => n + 1);
        if (request.IsWatch)
        {
            // Watches live for minutes: one opened before the faults were switched on must still be cut.
            using var served = new CancellationTokenSource();
            var dropper = DropWhileFaultyAsync(context, served.Token);
            try
            {
                await ServeAsync(context, next, request).ConfigureAwait(false);
            }
            finally
            {
                await served.CancelAsync().ConfigureAwait(false);
                await dropper.ConfigureAwait(false);
            }

            return;
        }

        await ServeAsync(context, next, request).ConfigureAwait(false);
    }

    private async Task ServeAsync(HttpContext context, RequestDelegate next, ApiRequest request)
    {
        var faults = _current;
        if (!faults.Any)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (faults.AddedLatency > TimeSpan.Zero)
        {
            Interlocked.Increment(ref _delayed);
            await Task.Delay(faults.AddedLatency, context.RequestAborted).ConfigureAwait(false);
        }

        if (faults.ErrorRate > 0 && Matches(faults, request) && Chance(faults.ErrorRate))
        {
            Interlocked.Increment(ref _errors);
            var status = faults.ErrorStatusCodes[Next(faults.ErrorStatusCodes.Count)];
            await FailAsync(context, status).ConfigureAwait(false);
            return;
        }

        if (faults.ConflictRate > 0 && request.Verb is "update" or "patch" && Chance(faults.ConflictRate))
        {
            Interlocked.Increment(ref _conflicts);
            await FailAsync(context, 409, "the object has been modified; please apply your changes to the latest version and try again").ConfigureAwait(false);
            return;
        }

        if (faults.EvictionHang is { } hang && request.Subresource == "eviction")
        {
            Interlocked.Increment(ref _evictionsHeld);
            // Not cut short when the client gives up or dies: the apiserver already has the request.
            await Task.Delay(hang, CancellationToken.None).ConfigureAwait(false);
        }

        if (request.IsWatch && (faults.ExpireWatchResumes || faults.ExpireEveryWatchResume) &&
            context.Request.Query["resourceVersion"].ToString() is { Length: > 0 } version && version != "0" &&
            (faults.ExpireEveryWatchResume || _expiredResumePoints.TryAdd((request.Resource, version), 0)))
        {
            Interlocked.Increment(ref _watchesExpired);
            await ExpireAsync(context).ConfigureAwait(false);
            return;
        }

        if (faults.StaleReads is { } age && request.Verb is "get" or "list")
        {
            await ServeStaleAsync(context, next, age).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    /// <summary>Answers with the response recorded at least <paramref name="age"/> ago, or serves and records a fresh one.</summary>
    private async Task ServeStaleAsync(HttpContext context, RequestDelegate next, TimeSpan age)
    {
        var key = context.Request.Path.Value + context.Request.QueryString.Value + "|" + context.Request.Headers.Accept;
#pragma warning disable RS0030 // Stale reads age in the wall-clock time of HTTP clients, not in the (possibly accelerated) cluster clock.
        var now = DateTimeOffset.UtcNow;
#pragma warning restore RS0030
        if (_readHistory.AsOf(key, now, age) is { } stale)
        {
            Interlocked.Increment(ref _staleReads);
            context.Response.StatusCode = 200;
            context.Response.ContentType = stale.ContentType;
            await context.Response.Body.WriteAsync(stale.Body, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            context.Response.Body = original;
        }

        var body = buffer.ToArray();
        if (context.Response.StatusCode == 200)
        {
            _readHistory.Record(key, new RecordedRead(now, context.Response.ContentType ?? "application/json", body), age);
        }

        await original.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task DropWhileFaultyAsync(HttpContext context, CancellationToken served)
    {
        try
        {
            while (!served.IsCancellationRequested)
            {
                if (_current.DropWatchesAfter is not { } after)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200), served).ConfigureAwait(false);
                    continue;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(after.TotalMilliseconds * (0.5 + (0.5 * NextDouble()))), served).ConfigureAwait(false);
                if (_current.DropWatchesAfter is not null && !served.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _watchesDropped);
                    context.Abort();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The watch ended by itself.
        }
    }

    private static bool Matches(FaultOptions faults, ApiRequest request) =>
        (faults.ErrorVerbs.Count == 0 || faults.ErrorVerbs.Contains(request.Verb)) &&
        (faults.ErrorResources.Count == 0 || faults.ErrorResources.Contains(request.RbacResource) || faults.ErrorResources.Contains(request.Resource));

    private static async Task FailAsync(HttpContext context, int status, string? message = null)
    {
        var reason = status switch
        {
            409 => "Conflict",
            429 => "TooManyRequests",
            503 => "ServiceUnavailable",
            504 => "Timeout",
            _ => "InternalError",
        };
        if (status == 429)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        var body = StatusBody.Failure(new ApiException(status, reason, message ?? $"injected fault: {reason}"));
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task ExpireAsync(HttpContext context)
    {
        var expired = StatusBody.Failure(new ApiException(410, "Expired", "injected fault: too old resource version"));
        var line = new JsonObject { ["type"] = "ERROR", ["object"] = expired }.ToJsonString() + "\n";
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(line, context.RequestAborted).ConfigureAwait(false);
    }

    private bool Chance(double probability) => NextDouble() < probability;

    private double NextDouble()
    {
        lock (_randomLock)
        {
            return _random.NextDouble();
        }
    }

    private int Next(int maxExclusive)
    {
        lock (_randomLock)
        {
            return _random.Next(maxExclusive);
        }
    }

}
