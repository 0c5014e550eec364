using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Runtime.CompilerServices;

namespace Spotalis.Commands;

/// <summary>An "Examples:" section at the end of each command's help, after the options.</summary>
public static class CommandHelp
{
    private static readonly ConditionalWeakTable<Command, IReadOnlyList<CommandExample>> ExamplesByCommand = [];

    /// <summary>Sets the examples <paramref name="command"/>'s help shows: what each does, then the command line.</summary>
    public static void AddExamples(Command command, params (string What, string Line)[] examples)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(examples);
        ExamplesByCommand.AddOrUpdate(command, examples.Select(e => new CommandExample(e.What, e.Line)).ToList());
    }

    /// <summary>The examples of <paramref name="command"/>; empty when it has none.</summary>
    public static IReadOnlyList<CommandExample> ExamplesOf(Command command) =>
        ExamplesByCommand.TryGetValue(command, out var examples) ? examples : [];

    /// <summary>Makes the help of <paramref name="root"/> and every subcommand end with its examples.</summary>
    public static void ShowExamples(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        foreach (var option in root.Options.OfType<HelpOption>())
        {
            if (option.Action is HelpAction help)
            {
                option.Action = new HelpWithExamples(help);
            }
        }
    }

    private static void WriteExamples(Command command, TextWriter output)
    {
        var examples = ExamplesOf(command);
        if (examples.Count == 0)
        {
            return;
        }

        output.WriteLine("Examples:");
        for (var i = 0; i < examples.Count; i++)
        {
            if (i > 0)
            {
                output.WriteLine();
            }

            output.WriteLine($"  # {examples[i].What}");
            output.WriteLine($"  {examples[i].Line}");
        }

        output.WriteLine();
    }

    private sealed class HelpWithExamples(HelpAction help) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => help.ClearsParseErrors;

        public override int Invoke(ParseResult parseResult)
        {
            var code = help.Invoke(parseResult);
            WriteExamples(parseResult.CommandResult.Command, parseResult.InvocationConfiguration.Output);
            return code;
        }
    }
}
