using k8s.Models;
using Spotalis.Operator.Observability;

namespace Spotalis.EndToEnd.Tests.Operator;

/// <summary>Issue 4 "Done when" scenarios about the split itself, against the whole simulated cluster.</summary>
public class SplitScenarioTests
{
    private static Dictionary<string, string> Policy(int spotPercentage, int minOnDemand = 0) => new()
    {
        ["spotalis.io/spot-percentage"] = spotPercentage.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["spotalis.io/min-on-demand"] = minOnDemand.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task Scenario1_keeps_the_split_through_scale_up_and_scale_down()
    {
        await using var env = await SimulatedEnvironment.StartAsync();
        await env.StartOperatorAsync(SimulatedEnvironment.FastConfig());

        await env.CreateDeploymentAsync("shop", "api", 10, Policy(70, 1));
        await env.WaitForSplitAsync("shop", "api", spot: 7, onDemand: 3);

        env.Scale<V1Deployment>("shop", "api", 20);
        await env.WaitForSplitAsync("shop", "api", spot: 14, onDemand: 6);

        env.Annotate<V1Deployment>("shop", "api", "spotalis.io/min-on-demand", "2");
        env.Scale<V1Deployment>("shop", "api", 3);
        await env.WaitForSplitAsync("shop", "api", spot: 1, onDemand: 2);
    }
}
