using Spotalis.Core.Capacity;

namespace Spotalis.EndToEnd.Tests.Webhook;

public sealed class WebhookOutageTests : IAsyncLifetime
{
    private WebhookEnvironment _environment = null!;

    public async Task InitializeAsync() => _environment = await WebhookEnvironment.StartAsync();

    public async Task DisposeAsync() => await _environment.DisposeAsync();

    [Fact]
    public async Task With_the_webhook_down_pods_are_still_created_and_the_controller_later_fixes_the_split()
    {
        var env = _environment;

        // Register the webhook, then take the whole operator down: its MutatingWebhookConfiguration stays behind.
        await env.StartOperatorAsync();
        await env.StopOperatorAsync();
        await env.CreateNamespaceAsync("shop", optedIn: false);

        await env.CreateDeploymentAsync("shop", "api", 10, 70, enabled: "true");

        await WebhookEnvironment.Eventually(
            () => env.Pods("shop", "api") is { Count: 10 } pods && pods.All(p => env.NodeCapacityType(p) is not null),
            "10 pods created and scheduled although the webhook is down (failurePolicy Ignore)");
        Assert.All(env.Pods("shop", "api"), p => Assert.False(p.Metadata.Labels.ContainsKey(SpotalisKeys.CapacityType)));

        // Back up: the controller evicts misplaced pods one at a time and the webhook places their replacements.
        await env.StartOperatorAsync();
        await WebhookEnvironment.Eventually(
            () => env.Pods("shop", "api") is { Count: 10 } pods &&
                  pods.Count(p => env.NodeCapacityType(p) == "spot") == 7 &&
                  pods.Count(p => env.NodeCapacityType(p) == "on-demand") == 3,
            "the controller and the webhook to restore 7 spot / 3 on-demand",
            seconds: 90);
    }
}
