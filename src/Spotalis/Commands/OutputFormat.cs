using System.CommandLine;

namespace Spotalis.Commands;

/// <summary>The shared <c>-o/--output</c> option: table (for people) or json (for scripts).</summary>
public static class OutputFormat
{
    public const string Table = "table";
    public const string Json = "json";

    public static Option<string> CreateOption(string defaultValue = Table)
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = "Output format: table or json.",
            DefaultValueFactory = _ => defaultValue,
        };
        option.AcceptOnlyFromAmong(Table, Json);
        return option;
    }
}
