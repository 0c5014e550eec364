namespace Spotalis.Scenarios;

/// <summary>One thing wrong with a scenario file: where (YAML path and line) and what.</summary>
public sealed record ScenarioProblem(string Path, int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"line {Line}: {Path}: {Message}" : $"{Path}: {Message}";
}
