using System.Text.Json;
using Spotalis.Commands;
using Spotalis.Tests.Support;

namespace Spotalis.Tests.Commands;

public class DemoCommandTests
{
    [Fact]
    public async Task A_headless_demo_ends_with_every_workload_balanced_and_prints_the_final_state()
    {
        var (code, output, error) = await CliRunner.RunAsync("demo", "--duration", "30s", "-o", "json");

        Assert.True(code == ExitCodes.Ok, $"exit {code}: {error}");
        Assert.Contains("kubeconfig: ", error, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(output);
        var workloads = json.RootElement.GetProperty("workloads").EnumerateArray().ToList();
        Assert.Equal(["web", "api", "cache"], workloads.Select(w => w.GetProperty("name").GetString()));
        foreach (var w in workloads)
        {
            Assert.Equal("Balanced", w.GetProperty("state").GetString());
            Assert.Equal(w.GetProperty("desiredSpot").GetInt32(), w.GetProperty("actualSpot").GetInt32());
            Assert.Equal(w.GetProperty("desiredOnDemand").GetInt32(), w.GetProperty("actualOnDemand").GetInt32());
            Assert.Equal(0, w.GetProperty("pending").GetInt32());
        }

        var web = workloads[0];
        Assert.Equal(7, web.GetProperty("desiredSpot").GetInt32());
        Assert.Equal(3, web.GetProperty("desiredOnDemand").GetInt32());
        var events = json.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("reason").GetString()).ToList();
        Assert.Contains("SpotInterruption", events);
        Assert.Contains("Balanced", events);
        foreach (var message in json.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()!))
        {
            Assert.True(RepeatedPhrase(message) is null, $"'{RepeatedPhrase(message)}' is said twice in: {message}");
        }
    }

    /// <summary>The first run of four words that occurs twice in <paramref name="message"/>, or null: a message should say each thing once.</summary>
    private static string? RepeatedPhrase(string message)
    {
        var words = message.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 4 <= words.Length; i++)
        {
            var phrase = string.Join(' ', words[i..(i + 4)]);
            if (!seen.Add(phrase))
            {
                return phrase;
            }
        }

        return null;
    }

    [Fact]
    public async Task Json_output_without_a_duration_is_a_usage_error()
    {
        var (code, _, error) = await CliRunner.RunAsync("demo", "-o", "json");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--duration", error, StringComparison.Ordinal);
    }
}
