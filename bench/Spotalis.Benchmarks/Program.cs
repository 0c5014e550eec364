using BenchmarkDotNet.Running;

// Micro-benchmarks run through BenchmarkDotNet; macro harnesses (scale, webhook latency) are added as
// named modes: `dotnet run -c Release --project bench/Spotalis.Benchmarks -- <mode>`.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
