using System.Security.Cryptography;
using System.Text.Json;
using Spotalis.Commands;
using Spotalis.Tests.Support;

namespace Spotalis.Tests.Commands;

public class SweepCommandTests
{
    [Fact]
    public async Task The_sweep_recommends_what_running_every_grid_point_by_hand_shows()
    {
        // steady-web-service holds each workload to: floorViolations <= 0, minReadyPercent >= 60, timeToConvergeMinutes <= 20.
        using var directory = new TemporaryDirectory();
        var scenario = RepositoryPaths.ExampleScenario("steady-web-service");
        int[] grid = [0, 50, 90, 100];

        var (code, output, error) = await CliRunner.RunAsync("simulate", scenario, "--sweep", string.Join(',', grid), "--out", directory.File("sweep"), "--parallel", "2");

        Assert.True(code == ExitCodes.Ok, $"exit {code}: {error}\n{output}");
        using var sweep = JsonDocument.Parse(await File.ReadAllTextAsync(directory.File("sweep/sweep.json")));
        var byHand = new Dictionary<int, JsonElement>();
        foreach (var spot in grid)
        {
            var folder = directory.File($"p{spot}");
            var single = await CliRunner.RunAsync("simulate", scenario, "--spot-percentage", spot.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", folder);
            Assert.True(single.ExitCode is ExitCodes.Ok or ExitCodes.Failure && File.Exists(Path.Combine(folder, "summary.json")), single.Error);
            var text = await File.ReadAllTextAsync(Path.Combine(folder, "summary.json"));
            Assert.Equal(text, await File.ReadAllTextAsync(directory.File($"sweep/spot-{spot:000}/summary.json")));
            byHand[spot] = JsonDocument.Parse(text).RootElement.Clone();
        }

        foreach (var recommendation in sweep.RootElement.GetProperty("recommendations").EnumerateArray())
        {
            var workload = recommendation.GetProperty("workload").GetString()!;
            bool Met(int spot)
            {
                var totals = byHand[spot].GetProperty("workloads").EnumerateArray().Single(w => $"{w.GetProperty("namespace").GetString()}/{w.GetProperty("name").GetString()}" == workload).GetProperty("totals");
                return totals.GetProperty("floorViolations").GetInt32() <= 0
                    && totals.GetProperty("minReadyPercent").ValueKind == JsonValueKind.Number && totals.GetProperty("minReadyPercent").GetDouble() >= 60
                    && totals.GetProperty("timeToConvergeMinutes").ValueKind == JsonValueKind.Number && totals.GetProperty("timeToConvergeMinutes").GetDouble() <= 20;
            }

            int? expected = null;
            foreach (var spot in grid)
            {
                if (!Met(spot))
                {
                    break;
                }

                expected = spot;
            }

            var actual = recommendation.GetProperty("spotPercentage");
            Assert.Equal(expected, actual.ValueKind == JsonValueKind.Null ? null : actual.GetInt32());
            Assert.Contains(workload, output, StringComparison.Ordinal);
            Assert.Contains(expected is { } e ? $"{e} %" : "none", output, StringComparison.Ordinal);
        }

        var report = await File.ReadAllTextAsync(directory.File("sweep/report.html"));
        Assert.Contains("data-workload=\"shop/web\" data-recommended=\"", report, StringComparison.Ordinal);
        Assert.Contains("class=\"chart chart-sweep chart-sweep-workload\"", report, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("steady-web-service")]
    [InlineData("daily-traffic-curve")]
    [InlineData("spot-drought")]
    public async Task Each_example_scenario_gets_a_recommended_spot_share_per_workload_in_the_terminal_and_the_report(string name)
    {
        using var directory = new TemporaryDirectory();

        var (code, output, error) = await CliRunner.RunAsync("simulate", RepositoryPaths.ExampleScenario(name), "--sweep", "0:100:50", "--out", directory.Path);

        Assert.True(code == ExitCodes.Ok, $"exit {code}: {error}\n{output}");
        using var sweep = JsonDocument.Parse(await File.ReadAllTextAsync(directory.File("sweep.json")));
        var report = await File.ReadAllTextAsync(directory.File("report.html"));
        Assert.Equal([0, 50, 100], sweep.RootElement.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("spotPercentage").GetInt32()));
        Assert.Contains("recommended spot share per workload", output, StringComparison.Ordinal);
        foreach (var recommendation in sweep.RootElement.GetProperty("recommendations").EnumerateArray())
        {
            var workload = recommendation.GetProperty("workload").GetString()!;
            Assert.Contains(workload, output, StringComparison.Ordinal);
            Assert.Contains($"<tr data-workload=\"{workload}\" data-recommended=\"", report, StringComparison.Ordinal);
        }

        foreach (var point in new[] { "spot-000", "spot-050", "spot-100" })
        {
            Assert.True(File.Exists(Path.Combine(directory.Path, point, "report.html")), point);
        }
    }

    [Fact]
    public async Task Floors_are_swept_with_every_spot_percentage()
    {
        using var directory = new TemporaryDirectory();
        var scenario = directory.File("short.yaml");
        await File.WriteAllTextAsync(scenario, (await File.ReadAllTextAsync(RepositoryPaths.ExampleScenario("steady-web-service"))).Replace("duration: 24h", "duration: 2h", StringComparison.Ordinal));

        var (code, output, error) = await CliRunner.RunAsync("simulate", scenario, "--sweep", "50,100", "--sweep-floors", "0:2:2", "--out", directory.File("out"), "-o", "json");

        Assert.True(code == ExitCodes.Ok, $"exit {code}: {error}\n{output}");
        using var sweep = JsonDocument.Parse(output);
        Assert.Equal(
            ["0:50", "0:100", "2:50", "2:100"],
            sweep.RootElement.GetProperty("points").EnumerateArray().Select(p => $"{p.GetProperty("minOnDemand").GetInt32()}:{p.GetProperty("spotPercentage").GetInt32()}"));
        Assert.True(File.Exists(directory.File("out/spot-100-floor-2/summary.json")));
        Assert.Contains("--sweep 50,100 --sweep-floors 0:2:2", sweep.RootElement.GetProperty("reproduce").GetProperty("command").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_check_the_sweep_fails_when_a_workload_runs_more_spot_than_recommended()
    {
        using var directory = new TemporaryDirectory();

        var (code, output, error) = await CliRunner.RunAsync("simulate", RepositoryPaths.ExampleScenario("steady-web-service"), "--sweep", "0,100", "--check", "-o", "json", "--out", directory.Path);

        using var sweep = JsonDocument.Parse(output);
        var above = sweep.RootElement.GetProperty("recommendations").EnumerateArray()
            .Any(r => r.GetProperty("spotPercentage").ValueKind == JsonValueKind.Null || r.GetProperty("currentSpotPercentage").GetInt32() > r.GetProperty("spotPercentage").GetInt32());
        Assert.True(code == (above ? ExitCodes.Failure : ExitCodes.Ok), $"exit {code} with a workload above its recommendation: {above}; {error}");
    }

    [Theory]
    [InlineData("--sweep", "0:100:0", "--sweep '0:100:0' needs from <= to and a step of at least 1")]
    [InlineData("--sweep", "0:120:10", "--sweep '0:120:10' has values outside 0..100")]
    [InlineData("--sweep", "ten", "--sweep 'ten' has 'ten', which is not an integer")]
    [InlineData("--sweep-floors", "0:2:1", "--sweep-floors needs --sweep")]
    [InlineData("--spot-percentage", "101", "--spot-percentage 101 is outside 0-100")]
    public async Task A_bad_sweep_or_override_is_a_usage_error_that_says_what_to_write(string option, string value, string message)
    {
        using var directory = new TemporaryDirectory();

        var (code, _, error) = await CliRunner.RunAsync("simulate", RepositoryPaths.ExampleScenario("spot-drought"), option, value, "--out", directory.File("out"));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(directory.File("out")));
    }

    [Fact]
    public async Task The_reproduce_block_names_the_command_seed_and_scenario_hash_and_keeps_the_summary_identical_across_runs()
    {
        using var directory = new TemporaryDirectory();
        var scenario = directory.File("short.yaml");
        await File.WriteAllTextAsync(scenario, (await File.ReadAllTextAsync(RepositoryPaths.ExampleScenario("spot-drought"))).Replace("duration: 12h", "duration: 3h", StringComparison.Ordinal));

        var first = await CliRunner.RunAsync("simulate", scenario, "--seed", "5", "--min-on-demand", "3", "--out", directory.File("a"));
        var second = await CliRunner.RunAsync("simulate", scenario, "--seed", "5", "--min-on-demand", "3", "--out", directory.File("b"));

        Assert.True(first.ExitCode is ExitCodes.Ok, first.Error);
        Assert.Contains("Reproduce with: spotalis simulate short.yaml --seed 5 --min-on-demand 3", first.Output, StringComparison.Ordinal);
        var summary = await File.ReadAllTextAsync(directory.File("a/summary.json"));
        Assert.Equal(summary, await File.ReadAllTextAsync(directory.File("b/summary.json")));
        using var json = JsonDocument.Parse(summary);
        var reproduce = json.RootElement.GetProperty("reproduce");
        Assert.Equal("spotalis simulate short.yaml --seed 5 --min-on-demand 3", reproduce.GetProperty("command").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(scenario))), reproduce.GetProperty("scenarioSha256").GetString());
        Assert.Equal(await File.ReadAllTextAsync(scenario), reproduce.GetProperty("scenarioYaml").GetString());
        Assert.DoesNotContain(directory.Path, summary, StringComparison.Ordinal);
        Assert.All(json.RootElement.GetProperty("workloads").EnumerateArray(), w => Assert.Equal(3, w.GetProperty("minOnDemand").GetInt32()));
        var report = await File.ReadAllTextAsync(directory.File("a/report.html"));
        Assert.Contains("<pre class=\"command\"><code>spotalis simulate short.yaml --seed 5 --min-on-demand 3</code></pre>", report, StringComparison.Ordinal);
    }
}
