using BenchmarkDotNet.Running;
using Spotalis.Benchmarks.Scale;
using Spotalis.Benchmarks.Webhook;

// Micro-benchmarks run through BenchmarkDotNet; macro harnesses (scale, webhook latency) are added as
// named modes: `dotnet run -c Release --project bench/Spotalis.Benchmarks -- <mode>`.
if (args is ["webhook-latency", ..])
{
    return await WebhookLatencyBenchmark.RunAsync(args[1..]);
}

if (args is ["webhook-serve"])
{
    return await WebhookServeMode.RunAsync();
}

if (args is ["cold-start", ..])
{
    return await ColdStartBenchmark.RunAsync(args[1..]);
}

if (args is ["startup", ..])
{
    return await StartupBenchmark.RunAsync(args[1..]);
}

if (args is ["soak", ..])
{
    return await SoakBenchmark.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
