namespace Spotalis.Operator.Configuration;

/// <summary>Invalid configuration; <see cref="Exception.Message"/> lists every problem, one per line.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(IReadOnlyList<string> problems)
        : base(Describe(problems)) => Problems = problems;

    public ConfigurationException()
        : this([])
    {
    }

    public ConfigurationException(string message)
        : base(message) => Problems = [message];

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException) => Problems = [message];

    public IReadOnlyList<string> Problems { get; } = [];

    private static string Describe(IReadOnlyList<string> problems) =>
        problems.Count == 1
            ? $"Invalid configuration: {problems[0]}"
            : $"Invalid configuration ({problems.Count} problems):{Environment.NewLine}" +
              string.Join(Environment.NewLine, problems.Select(p => $"  - {p}"));
}
