using System.Text.Json;
using Spotalis.Commands;
using Spotalis.Reporting;
using Spotalis.Scenarios;
using Spotalis.Simulation;
using Spotalis.Tests.Support;

namespace Spotalis.Tests.Commands;

public class SimulateCommandTests
{
    [Theory]
    [InlineData("steady-web-service", "validated")]
    [InlineData("daily-traffic-curve", "validated")]
    [InlineData("spot-drought", "invalidated")]
    public async Task Each_example_scenario_reaches_its_documented_verdict_without_floor_violations(string name, string verdict)
    {
        using var directory = new TemporaryDirectory();

        var (code, output, error) = await CliRunner.RunAsync("simulate", RepositoryPaths.ExampleScenario(name), "--out", directory.Path, "--timeout", "5m");

        Assert.True(code == ExitCodes.Ok, $"exit {code}: {error}\n{output}");
        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(directory.File("summary.json")));
        var root = summary.RootElement;
        Assert.Equal("complete", root.GetProperty("outcome").GetString());
        Assert.Equal(verdict, root.GetProperty("hypothesis").GetProperty("verdict").GetString());
        Assert.Equal(0, root.GetProperty("totals").GetProperty("floorViolations").GetInt32());
        Assert.All(root.GetProperty("hypothesis").GetProperty("criteria").EnumerateArray(), c => Assert.NotEqual("insufficientData", c.GetProperty("verdict").GetString()));
        Assert.Equal(["pending", "provisioning", "running", "complete"], root.GetProperty("phases").EnumerateArray().Select(p => p.GetProperty("phase").GetString()));
        Assert.True(File.Exists(directory.File("report.html")));
        Assert.Contains($"hypothesis {verdict}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_drought_falls_back_to_on_demand_and_reclaims_spot_afterwards()
    {
        var scenario = ScenarioLoader.LoadFile(RepositoryPaths.ExampleScenario("spot-drought")) with { Duration = TimeSpan.FromHours(7) };

        var summary = await new SimulationRunner(scenario, null, TimeSpan.FromMinutes(5)).RunAsync(CancellationToken.None);

        var web = Assert.Single(summary.Workloads);
        var series = web.Series;
        int At(IReadOnlyList<int> values, int seconds) => values[series.Seconds.ToList().FindLastIndex(s => s <= seconds)];
        Assert.True(At(series.Spot, 7200 - 600) >= 9, "before the drought most replicas run on spot");
        Assert.Equal(0, At(series.Spot, 3 * 3600));
        Assert.True(At(series.OnDemand, 3 * 3600) >= 12, "during the drought on-demand carries the load");
        Assert.True(At(series.Spot, 7 * 3600 - 60) >= 9, "after the drought spot is reclaimed");
        Assert.True(summary.Totals.FallbackMinutes > 200);
        Assert.True(summary.OperatorEvents.ContainsKey("FallbackToOnDemand"));
        Assert.Equal(0, summary.Totals.FloorViolations);
    }

    [Fact]
    public async Task One_seed_gives_the_same_summary_and_another_seed_a_different_one()
    {
        var scenario = ScenarioLoader.LoadFile(RepositoryPaths.ExampleScenario("steady-web-service")) with { Duration = TimeSpan.FromHours(8) };

        var first = SummaryJson.Serialize(await new SimulationRunner(scenario, 21, TimeSpan.FromMinutes(5)).RunAsync(CancellationToken.None));
        var second = SummaryJson.Serialize(await new SimulationRunner(scenario, 21, TimeSpan.FromMinutes(5)).RunAsync(CancellationToken.None));
        var other = SummaryJson.Serialize(await new SimulationRunner(scenario, 22, TimeSpan.FromMinutes(5)).RunAsync(CancellationToken.None));

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public async Task An_invalid_scenario_is_a_usage_error_naming_every_problem()
    {
        using var directory = new TemporaryDirectory();
        var file = directory.File("bad.yaml");
        await File.WriteAllTextAsync(file, "name: bad\nduration: 1x\nnodePools: []\nworkloads:\n  - { name: web }\n");

        var (code, _, error) = await CliRunner.RunAsync("simulate", file, "--out", directory.File("out"));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("duration", error, StringComparison.Ordinal);
        Assert.Contains("nodePools", error, StringComparison.Ordinal);
        Assert.Contains("workloads[0].replicas", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(directory.File("out")));
    }

    [Fact]
    public async Task Unknown_options_are_usage_errors()
    {
        var (code, _, _) = await CliRunner.RunAsync("simulate", "--no-such-option");

        Assert.Equal(ExitCodes.Usage, code);
    }
}
