using System.CommandLine;
using Spotalis.Commands;

var root = new RootCommand("Spotalis keeps a chosen share of each workload's replicas on spot nodes, never below an on-demand floor.");
CommandHelp.AddExamples(root,
    ("Watch Spotalis work on a simulated cluster (no cluster needed)", "spotalis demo"),
    ("Desired vs actual spot/on-demand split of every managed workload", "spotalis status -A"),
    ("Why a pod runs on spot or on-demand", "spotalis explain shop/web-7d9c-abcde"),
    ("What if spot capacity runs dry? Before installing anything", "spotalis simulate examples/scenarios/spot-drought.yaml --out /tmp/drought"));

// Listed in help by how often a user needs them.
#if SPOTALIS_AOT
// The NativeAOT build carries the container's commands; the simulator's are JIT-only (docs/how-to/native-aot.md).
root.Subcommands.Add(JitOnlyCommand.Create("demo", "Watch Spotalis work on a simulated cluster (JIT build only)."));
root.Subcommands.Add(StatusCommand.Create());
root.Subcommands.Add(ExplainCommand.Create());
root.Subcommands.Add(JitOnlyCommand.Create("simulate", "What-if simulation of a scenario (JIT build only)."));
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(JitOnlyCommand.Create("sim", "A local simulated cluster (JIT build only)."));
root.Subcommands.Add(JitOnlyCommand.Create("migrate", "Migrate from the Go operator (JIT build only)."));
#else
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(StatusCommand.Create());
root.Subcommands.Add(ExplainCommand.Create());
root.Subcommands.Add(SimulateCommand.Create());
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(SimCommand.Create());
root.Subcommands.Add(MigrateCommand.Create());
#endif
root.Subcommands.Add(VersionCommand.Create());
return await CommandLineRunner.RunAsync(root, args);
