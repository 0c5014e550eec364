namespace Spotalis.Scenarios;

/// <summary>Thrown when a scenario cannot be used; carries every problem found, not just the first.</summary>
public sealed class ScenarioException : Exception
{
    public ScenarioException(string source, IReadOnlyList<ScenarioProblem> problems)
        : base($"{source}: {problems.Count} problem(s):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems))
    {
        Problems = problems;
    }

    public ScenarioException()
        : this("scenario", [])
    {
    }

    public ScenarioException(string message)
        : base(message)
    {
        Problems = [];
    }

    public ScenarioException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [];
    }

    public IReadOnlyList<ScenarioProblem> Problems { get; }
}
