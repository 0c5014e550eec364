namespace Spotalis.Tests.Support;

/// <summary>Finds files of the repository from the test's output folder.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string ExampleScenario(string name) => Path.Combine(Root, "examples", "scenarios", name + ".yaml");

    public static IReadOnlyList<string> ExampleScenarioNames { get; } = ["steady-web-service", "daily-traffic-curve", "spot-drought"];

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Spotalis.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("cannot find Spotalis.sln above " + AppContext.BaseDirectory);
    }
}
