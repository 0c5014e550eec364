using System.CommandLine;
using Spotalis.Commands;

var root = new RootCommand("Spotalis keeps a chosen share of each workload's replicas on spot nodes, never below an on-demand floor.");
CommandHelp.AddExamples(root,
    ("Watch Spotalis work on a simulated cluster (no cluster needed)", "spotalis demo"),
    ("Desired vs actual spot/on-demand split of every managed workload", "spotalis status -A"),
    ("Why a pod runs on spot or on-demand", "spotalis explain shop/web-7d9c-abcde"),
    ("What if spot capacity runs dry? Before installing anything", "spotalis simulate examples/scenarios/spot-drought.yaml --out /tmp/drought"));

// Listed in help by how often a user needs them.
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(StatusCommand.Create());
root.Subcommands.Add(ExplainCommand.Create());
root.Subcommands.Add(SimulateCommand.Create());
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(SimCommand.Create());
root.Subcommands.Add(MigrateCommand.Create());
root.Subcommands.Add(VersionCommand.Create());
return await CommandLineRunner.RunAsync(root, args);
