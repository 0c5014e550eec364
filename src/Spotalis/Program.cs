using System.CommandLine;
using Spotalis.Cli.Commands;

var root = new RootCommand("Spotalis keeps a chosen share of each workload's replicas on spot nodes, never below an on-demand floor.");
root.Subcommands.Add(VersionCommand.Create());
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(StatusCommand.Create());
root.Subcommands.Add(ExplainCommand.Create());
root.Subcommands.Add(SimulateCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(SimCommand.Create());
root.Subcommands.Add(MigrateCommand.Create());
return await CommandLineRunner.RunAsync(root, args);
