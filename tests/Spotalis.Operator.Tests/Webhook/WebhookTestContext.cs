using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Prometheus;
using Spotalis.Core.Capacity;
using Spotalis.Core.Nodes;
using Spotalis.Operator.Webhook;
using Spotalis.Operator.Webhook.Admission;
using Spotalis.Operator.Webhook.Placement;

namespace Spotalis.Operator.Tests.Webhook;

/// <summary>An AdmissionHandler over an in-memory cache, its own metrics registry and a manual clock.</summary>
internal sealed class WebhookTestContext
{
    public static readonly Dictionary<string, string> OptedIn = new() { [SpotalisKeys.Enabled] = "true" };

    public WebhookTestContext(NodePreset? preset = null, TimeSpan? ownerWait = null, LivePodReader? livePods = null)
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        Metrics = new WebhookMetrics(Registry);
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero));
        var settings = WebhookPlacementSettings.Default with
        {
            Preset = preset ?? NodePresets.Karpenter,
            OwnerWaitTimeout = ownerWait ?? TimeSpan.Zero,
        };
        Handler = new AdmissionHandler(View, settings, Metrics, NullLogger<AdmissionHandler>.Instance, Time, livePods);
    }

    public InMemoryClusterView View { get; } = new();

    public CollectorRegistry Registry { get; }

    public WebhookMetrics Metrics { get; }

    public FakeTimeProvider Time { get; }

    public AdmissionHandler Handler { get; }

    public static Dictionary<string, string> Split(int spotPercentage, int minOnDemand = 0) => new()
    {
        [SpotalisKeys.SpotPercentage] = spotPercentage.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [SpotalisKeys.MinOnDemand] = minOnDemand.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public AdmissionAnswer Admit(JsonNode pod, string uid = "", bool dryRun = false, string operation = "CREATE")
    {
        var result = Handler.Handle(TestPods.Review(pod, uid, operation, dryRun));
        return new AdmissionAnswer(result, pod);
    }

    public double RequestCount(string result) => Metrics.Requests.WithLabels(result).Value;

    public double DecisionCount(string capacityType) => Metrics.Decisions.WithLabels(capacityType).Value;
}

/// <summary>One answer, with the patch decoded and applied to the pod.</summary>
internal sealed class AdmissionAnswer
{
    public AdmissionAnswer(AdmissionResult result, JsonNode pod)
    {
        Result = result;
        Assert.Equal(200, result.StatusCode);
        var response = JsonNode.Parse(result.Body)!["response"]!;
        Allowed = response["allowed"]!.GetValue<bool>();
        Uid = response["uid"]!.GetValue<string>();
        var patch = response["patch"]?.GetValue<string>();
        if (patch is not null)
        {
            Assert.Equal("JSONPatch", response["patchType"]!.GetValue<string>());
            Patch = (JsonArray)JsonNode.Parse(Convert.FromBase64String(patch))!;
            Patched = JsonPatchApplier.Apply(pod, Patch);
        }
    }

    public AdmissionResult Result { get; }

    public bool Allowed { get; }

    public string Uid { get; }

    public JsonArray? Patch { get; }

    public JsonNode? Patched { get; }

    public string? CapacityType => Patched?["metadata"]?["labels"]?[SpotalisKeys.CapacityType]?.GetValue<string>();

    public string? AdmissionId => Patched?["metadata"]?["annotations"]?[SpotalisKeys.AdmissionId]?.GetValue<string>();
}
