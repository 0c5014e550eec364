using System.Text;
using CsCheck;
using Spotalis.Operator.Configuration;

namespace Spotalis.Resilience.Tests.Hostile;

/// <summary>
/// The config loader under hostile YAML and environment values: it either returns a valid configuration or throws
/// <see cref="ConfigurationException"/> listing every problem — never another exception, never a hang.
/// </summary>
public sealed class ConfigLoaderFuzzTests
{
    private const string ValidYaml = """
        namespace: shop
        readOnly: true
        logLevel: Debug
        leaderElection:
          enabled: true
          leaseDuration: 20s
        nodeClassifier:
          preset: custom
          spotSelectors:
            - matchLabels: {pool: spot}
            - matchExpressions:
                - {key: tier, operator: In, values: [spot, preemptible]}
        controllers:
          cooldown: 45s
          evictionsPerSecond: 2
        disruptionWindow:
          schedule: "0 2 * * *"
          duration: 2h
        """;

    private static readonly Dictionary<string, string> NoEnvironment = [];

    [Fact]
    public void The_valid_sample_loads_so_that_mutations_of_it_are_meaningful()
    {
        var config = ConfigurationLoader.Parse(ValidYaml, NoEnvironment);
        Assert.Equal("shop", config.Namespace);
        Assert.Equal(2, config.NodeClassifier.SpotSelectors.Count);
    }

    [Fact]
    public void Every_truncation_of_a_valid_file_loads_or_fails_with_a_configuration_error()
    {
        for (var length = 0; length <= ValidYaml.Length; length++)
        {
            AssertLoadsOrExplains(ValidYaml[..length], NoEnvironment);
        }
    }

    [Fact]
    public void Random_character_mutations_of_a_valid_file_never_crash()
    {
        Gen.Select(Gen.Int[0, ValidYaml.Length - 1], Gen.Char, Gen.Int[0, 2]).Array[1, 6].Sample(edits =>
        {
            var text = new StringBuilder(ValidYaml);
            foreach (var (position, character, kind) in edits)
            {
                var at = Math.Min(position, text.Length - 1);
                _ = kind switch
                {
                    0 => text.Remove(at, 1),
                    1 => text.Insert(at, character),
                    _ => text.Replace(text[at], character, at, 1),
                };
            }

            AssertLoadsOrExplains(text.ToString(), NoEnvironment);
        }, iter: 2_000);
    }

    [Fact]
    public void Random_text_never_crashes()
    {
        HostileStrings.AnyString.Sample(text => AssertLoadsOrExplains(text, NoEnvironment), iter: 2_000);
    }

    [Theory]
    [InlineData("? [a, b]\n: 1\n")]
    [InlineData("? {a: 1}\n: 1\n")]
    [InlineData("controllers:\n  ? [x]\n  : 1\n")]
    [InlineData("nodeClassifier:\n  spotSelectors:\n    - ? [x]\n      : y\n")]
    [InlineData("nodeClassifier:\n  spotSelectors:\n    - matchLabels:\n        ? [k]\n        : v\n")]
    [InlineData("a: &x [*x]\n")]
    [InlineData("controllers: &c {cooldown: 1s, x: *c}\n")]
    [InlineData("controllers: !!binary aGVsbG8=\n")]
    [InlineData("---\n---\n---\nnamespace: a\n")]
    [InlineData("namespace: a\nnamespace: b\n")]
    [InlineData("%YAML 9.9\n---\na: 1\n")]
    [InlineData("\ufeffnamespace: a\n")]
    [InlineData("controllers:\n  maxConcurrentReconciles: 99999999999999999999999\n")]
    [InlineData("controllers:\n  evictionsPerSecond: NaN\n")]
    [InlineData("controllers:\n  evictionsPerSecond: 1e309\n")]
    [InlineData("controllers:\n  cooldown: 9999999999999999h\n")]
    public void Odd_yaml_shapes_load_or_fail_with_a_configuration_error(string yaml) => AssertLoadsOrExplains(yaml, NoEnvironment);

    [Theory]
    [InlineData(200)]
    [InlineData(1_000)]
    public void Deeply_nested_yaml_fails_cleanly(int depth)
    {
        AssertLoadsOrExplains(new string('[', depth) + new string(']', depth), NoEnvironment);
        AssertLoadsOrExplains(string.Concat(Enumerable.Range(0, depth).Select(i => new string(' ', Math.Min(i, 400)) + "a:\n")), NoEnvironment);
        AssertLoadsOrExplains("controllers: " + new string('{', depth) + new string('}', depth), NoEnvironment);
    }

    [Fact]
    public void A_huge_file_of_unknown_keys_lists_the_problems_without_crashing()
    {
        var yaml = string.Concat(Enumerable.Range(0, 20_000).Select(i => $"key{i}: value\n"));
        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Parse(yaml, NoEnvironment));
        Assert.Equal(20_000, error.Problems.Count);
        Assert.Contains("key19999: unknown key", error.Problems);
    }

    [Fact]
    public void Random_environment_values_never_crash_and_every_bad_one_is_named()
    {
        var names = ConfigurationKeys.All.Select(k => k.EnvironmentVariable).OfType<string>().ToArray();
        Gen.Select(HostileStrings.Pick(names), HostileStrings.AnyString).Array[1, 5].Sample(pairs =>
        {
            var environment = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, value) in pairs.Select(p => (p.Item1, p.Item2)))
            {
                environment[name] = value;
            }

            try
            {
                ConfigurationLoader.Parse(null, environment);
            }
            catch (ConfigurationException e)
            {
                Assert.NotEmpty(e.Problems);
                // Each per-variable problem names its variable; the rest are cross-key checks naming YAML paths.
                Assert.All(e.Problems, p => Assert.True(names.Any(n => p.Contains(n, StringComparison.Ordinal)) || p.Contains('.', StringComparison.Ordinal) || p.Contains(':', StringComparison.Ordinal), p));
            }
        }, iter: 3_000);
    }

    [Fact]
    public void Several_bad_values_are_all_listed_at_once()
    {
        var environment = new Dictionary<string, string>
        {
            ["SPOTALIS_CONTROLLERS_COOLDOWN"] = "soon",
            ["SPOTALIS_LOG_LEVEL"] = new string('x', 100_000),
            ["SPOTALIS_CONTROLLERS_MAX_CONCURRENT_RECONCILES"] = "99999999999999999999",
        };
        var error = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Parse("readOnly: maybe\n", environment));
        Assert.Equal(4, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.StartsWith("readOnly", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("SPOTALIS_CONTROLLERS_COOLDOWN", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("SPOTALIS_LOG_LEVEL", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("SPOTALIS_CONTROLLERS_MAX_CONCURRENT_RECONCILES", StringComparison.Ordinal));
    }

    private static void AssertLoadsOrExplains(string yaml, IReadOnlyDictionary<string, string> environment)
    {
        try
        {
            var config = ConfigurationLoader.Parse(yaml, environment);
            Assert.Empty(ConfigurationLoader.Validate(config));
        }
        catch (ConfigurationException e)
        {
            Assert.NotEmpty(e.Problems);
            Assert.All(e.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p)));
        }
    }
}
