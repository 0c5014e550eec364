using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;
using Spotalis.Operator.Webhook;
using Spotalis.Operator.Webhook.Admission;
using Spotalis.Operator.Webhook.Placement;

namespace Spotalis.Benchmarks.Webhook;

/// <summary>
/// <c>webhook-latency</c>: drives the real webhook (Kestrel, TLS, AdmissionHandler over a cache of 500 opted-in
/// Deployments) with realistic AdmissionReviews at fixed request rates (open loop: latency counts from each request's
/// scheduled start, so a stalled server cannot hide its queue), next to a plain Kestrel TLS endpoint answering a body
/// of the same size, in the same run. Then both at full speed (closed loop) for the throughput ratio. Both servers run
/// in a child process (<see cref="WebhookServeMode"/>) so that this load generator does not share their GC and thread
/// pool; each row also shows what the run cost the server process.
/// Options: <c>--duration seconds</c> (5), <c>--rates 200,1000,3000</c>, <c>--concurrency n</c> (32), <c>--http 1.1|2</c>
/// (1.1), <c>--max-connections n</c> (256, HTTP/1.1 connections the client may open), <c>--handshakes-only</c> (skip the
/// load runs, measure only the cost of new TLS connections), <c>--server-env NAME=value</c> (repeatable: runtime settings
/// for the server process, for experiments; the recorded runs use none), <c>--spotalis executable</c> (repeatable: also
/// drive the webhook of a real <c>spotalis run</c> process, a <c>spotalis.dll</c> or the NativeAOT binary, see
/// <see cref="OperatorWebhookTargets"/>; <c>--workloads n</c> (500) and <c>--replicas n</c> (4) size its cluster).
/// </summary>
internal static class WebhookLatencyBenchmark
{
    public const int Workloads = 500;

    public static async Task<int> RunAsync(string[] args)
    {
        var duration = TimeSpan.FromSeconds(double.Parse(Option(args, "--duration", "5"), CultureInfo.InvariantCulture));
        var rates = Option(args, "--rates", "200,1000,3000").Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray();
        var concurrency = int.Parse(Option(args, "--concurrency", "32"), CultureInfo.InvariantCulture);
        var http = Option(args, "--http", "1.1") == "2" ? HttpVersion.Version20 : HttpVersion.Version11;
        var maxConnections = int.Parse(Option(args, "--max-connections", "256"), CultureInfo.InvariantCulture);
        var handshakesOnly = args.Contains("--handshakes-only");

        var reviews = RealisticPod.Reviews(Workloads);
        var handler = new AdmissionHandler(
            new BenchClusterView(Workloads, 20),
            WebhookPlacementSettings.Default,
            new WebhookMetrics(Metrics.NewCustomRegistry()),
            NullLogger<AdmissionHandler>.Instance,
            TimeProvider.System);
        var sample = handler.Handle(reviews[0]);
        if (sample.Kind != AdmissionResultKind.Patched)
        {
            Console.Error.WriteLine($"webhook did not patch the sample pod: {sample.Kind} {sample.Reason}");
            return 1;
        }

        var (inProcessUs, inProcessAllocated) = MeasureInProcess(handler, reviews, TimeSpan.FromSeconds(Math.Min(3, duration.TotalSeconds)));

        var serverEnvironment = args
            .Select((arg, i) => arg == "--server-env" && i + 1 < args.Length ? args[i + 1].Split('=', 2) : null)
            .OfType<string[]>()
            .Where(pair => pair.Length == 2)
            .Select(pair => KeyValuePair.Create(pair[0], pair[1]))
            .ToList();
        var executables = args.Select((arg, i) => arg == "--spotalis" && i + 1 < args.Length ? Path.GetFullPath(args[i + 1]) : null).OfType<string>().ToList();
        await using var operators = executables.Count == 0
            ? null
            : await OperatorWebhookTargets.StartAsync(
                executables,
                int.Parse(Option(args, "--workloads", "500"), CultureInfo.InvariantCulture),
                int.Parse(Option(args, "--replicas", "4"), CultureInfo.InvariantCulture));
        await using var server = await ServerProcess.StartAsync(serverEnvironment);
        var ready = server.Ready;
        var connections = new ConnectionCounter();
        var caPem = await File.ReadAllTextAsync(ready.CaPemPath) + "\n" + (operators?.CaPem ?? "");
        using var client = Client(caPem, connections, http, maxConnections);
        var plainUri = new Uri(ready.PlainUri);
        var webhookUri = new Uri(ready.WebhookUri);
        var followerUri = new Uri(ready.FollowerUri);
        Func<Task<ServerStats>> serverStats = server.StatsAsync;
        List<(string Name, Uri Uri, byte[][] Reviews, Func<Task<ServerStats>> Stats)> endpoints =
        [
            ("plain Kestrel TLS", plainUri, reviews, serverStats),
            ("webhook", webhookUri, reviews, serverStats),
            ("webhook via a follower", followerUri, reviews, serverStats),
            .. (operators?.Endpoints ?? []).Select(e => (e.Name, e.Uri, operators!.Reviews, (Func<Task<ServerStats>>)(() => Task.FromResult(OperatorWebhookTargets.Stats(e.ProcessId))))),
        ];

        Console.WriteLine($"# webhook-latency {DateTime.UtcNow:yyyy-MM-dd HH:mm}Z on {Machine()}");
        Console.WriteLine($"# servers in their own process (pid {ready.ProcessId}, {(ready.ServerGc ? "server" : "workstation")} GC, latency mode {ready.GcLatencyMode}{string.Concat(serverEnvironment.Select(e => $", {e.Key}={e.Value}"))}); load generator in this process (pid {Environment.ProcessId})");
        Console.WriteLine($"# request {reviews[0].Length} bytes, response {ready.ResponseBytes} bytes, patch over TLS 1.2+/HTTP {http}, at most {maxConnections} client connections, {duration.TotalSeconds:F0}s per run after a 3s full-speed warm-up of each endpoint and 1s at the rate");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# AdmissionHandler in process (parse, decide, patch, respond; no HTTP/TLS): {inProcessUs:F1} us and {inProcessAllocated / 1024.0:F1} KB allocated per review on one thread"));
        Console.WriteLine(LoadResult.Header);

        if (!handshakesOnly)
        {
            // Warm both endpoints at full speed first (tiered JIT, thread pool growth, pooled TLS connections), so the
            // first measured rate does not pay for start-up.
            foreach (var (_, uri, bodies, _) in endpoints)
            {
                await ClosedLoopAsync(client, uri, bodies, concurrency, TimeSpan.FromSeconds(3));
            }

            foreach (var rate in rates)
            {
                foreach (var (name, uri, bodies, stats) in endpoints)
                {
                    await OpenLoopAsync(client, uri, bodies, rate, TimeSpan.FromSeconds(1));
                    var result = await MeasuredAsync(stats, connections, () => OpenLoopAsync(client, uri, bodies, rate, duration));
                    Console.WriteLine((result with { Target = name }).ToRow());
                }
            }

            var maxima = new List<LoadResult>();
            foreach (var (name, uri, bodies, stats) in endpoints)
            {
                await ClosedLoopAsync(client, uri, bodies, concurrency, TimeSpan.FromSeconds(1));
                var result = await MeasuredAsync(stats, connections, () => ClosedLoopAsync(client, uri, bodies, concurrency, duration)) with { Target = name };
                maxima.Add(result);
                Console.WriteLine(result.ToRow());
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# webhook throughput = {100 * maxima[1].Throughput / maxima[0].Throughput:F0}% of the plain endpoint's; via a follower {100 * maxima[2].Throughput / maxima[0].Throughput:F0}% (the follower and the leader share the server process)"));
            foreach (var process in maxima.Skip(3))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# {process.Target}: throughput = {100 * process.Throughput / maxima[0].Throughput:F0}% of the plain endpoint's (a separate process: no shared CPU with the plain endpoint's process, but the same 2 cores)"));
            }
        }

        Console.WriteLine();
        Console.WriteLine(HandshakeProbe.Header);
        var validate = Validator(await File.ReadAllTextAsync(ready.CaPemPath));
        foreach (var (name, uri) in new[] { ("plain Kestrel TLS", plainUri), ("webhook", webhookUri) })
        {
            Console.WriteLine(await HandshakeProbe.RunAsync(server, uri, name, validate, 300));
        }

        return 0;
    }

    private static async Task<LoadResult> MeasuredAsync(Func<Task<ServerStats>> stats, ConnectionCounter connections, Func<Task<LoadResult>> run)
    {
        var before = await stats();
        var opened = connections.Opened;
        var result = await run();
        var after = await stats();
        return result with
        {
            ConnectionsOpened = connections.Opened - opened,
            Server = ServerCost.Between(before, after, result.Seconds),
        };
    }

    /// <summary>Mean microseconds and bytes allocated per review through <see cref="AdmissionHandler.Handle(ReadOnlyMemory{byte})"/> on one thread.</summary>
    private static (double Microseconds, double AllocatedBytes) MeasureInProcess(AdmissionHandler handler, byte[][] reviews, TimeSpan duration)
    {
        for (var i = 0; i < 2000; i++)
        {
            handler.Handle(reviews[i % reviews.Length]);
        }

        var count = 0;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start) < duration)
        {
            for (var i = 0; i < 100; i++, count++)
            {
                handler.Handle(reviews[count % reviews.Length]);
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(start);
        return (elapsed.TotalMicroseconds / count, (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)count);
    }

    /// <summary>
    /// Sends at a fixed rate from a dedicated thread that sleeps 1 ms between checks (<c>Task.Delay(1)</c> wakes only
    /// every ~4 ms on this VM, which would send in bursts and add up to 4 ms to every latency). Each request is sent
    /// once its scheduled start has passed, never early, and its latency counts from that scheduled start, so the
    /// sender's own lateness is included; its p99 is reported as <see cref="LoadResult.SendLagP99Ms"/>.
    /// </summary>
    private static async Task<LoadResult> OpenLoopAsync(HttpClient client, Uri uri, byte[][] reviews, int rate, TimeSpan duration)
    {
        var total = (int)(rate * duration.TotalSeconds);
        var latencies = new double[total];
        var lags = new double[total];
        var errors = 0;
        var tasks = new Task[total];
        var start = Stopwatch.GetTimestamp();
        var sender = new Thread(() =>
        {
            var next = 0;
            while (next < total)
            {
                var now = Stopwatch.GetTimestamp();
                for (; next < total; next++)
                {
                    var scheduled = start + (long)(next * (double)Stopwatch.Frequency / rate);
                    if (scheduled > now)
                    {
                        break;
                    }

                    lags[next] = Stopwatch.GetElapsedTime(scheduled).TotalMilliseconds;
                    tasks[next] = SendAsync(client, uri, reviews[next % reviews.Length], scheduled, latencies, next, () => Interlocked.Increment(ref errors));
                }

                if (next < total)
                {
                    Thread.Sleep(1);
                }
            }
        })
        {
            IsBackground = true,
            Name = "open-loop sender",
        };
        sender.Start();
        await Task.Run(sender.Join);
        await Task.WhenAll(tasks);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Array.Sort(lags);
        return LoadResult.From("", string.Create(CultureInfo.InvariantCulture, $"{rate} req/s"), [.. latencies.Where(l => l > 0)], errors, seconds) with
        {
            SendLagP99Ms = lags[Math.Max(0, (int)Math.Ceiling(0.99 * total) - 1)],
        };
    }

    private static async Task<LoadResult> ClosedLoopAsync(HttpClient client, Uri uri, byte[][] reviews, int concurrency, TimeSpan duration)
    {
        var latencies = new List<double>[concurrency];
        var errors = 0;
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var mine = latencies[worker] = [];
            var one = new double[1];
            for (var i = worker; Stopwatch.GetTimestamp() < end; i += concurrency)
            {
                await SendAsync(client, uri, reviews[i % reviews.Length], Stopwatch.GetTimestamp(), one, 0, () => Interlocked.Increment(ref errors));
                mine.Add(one[0]);
            }
        }).ToList();
        await Task.WhenAll(workers);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return LoadResult.From("", $"max ({concurrency} concurrent)", [.. latencies.SelectMany(l => l)], errors, seconds);
    }

    private static async Task SendAsync(HttpClient client, Uri uri, byte[] body, long scheduled, double[] latencies, int index, Action onError)
    {
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var response = await client.PostAsync(uri, content);
            await response.Content.ReadAsByteArrayAsync();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                onError();
            }
        }
#pragma warning disable CA1031 // A failed request is counted, the run goes on.
        catch (Exception)
#pragma warning restore CA1031
        {
            onError();
        }

        latencies[index] = Stopwatch.GetElapsedTime(scheduled).TotalMilliseconds;
    }

    private static HttpClient Client(string caPem, ConnectionCounter connections, Version http, int maxConnections)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectCallback = connections.ConnectAsync,
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Validator(caPem) },
        };
        return new HttpClient(handler)
        {
            Timeout = TimeSpan.FromSeconds(10),
            DefaultRequestVersion = http,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    /// <summary>Trusts exactly the webhook's CA, as the apiserver does with the configuration's caBundle.</summary>
    private static RemoteCertificateValidationCallback Validator(string caPem)
    {
        var trusted = new X509Certificate2Collection();
        trusted.ImportFromPem(caPem);
        return (_, certificate, _, _) =>
        {
            if (certificate is null)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(new X509Certificate2(certificate));
        };
    }

    private static string Machine()
    {
        var model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{Environment.ProcessorCount} cores ({model ?? RuntimeInformation.ProcessArchitecture.ToString()}), {RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }

    private static string Option(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }
}
