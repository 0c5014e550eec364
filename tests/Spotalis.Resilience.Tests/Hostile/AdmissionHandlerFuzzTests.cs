using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.Extensions.Logging.Abstractions;
using Spotalis.Core.Capacity;
using Spotalis.Operator.Webhook;
using Spotalis.Operator.Webhook.Admission;
using Spotalis.Operator.Webhook.Placement;
using Spotalis.Resilience.Tests.Support;
using Spotalis.Simulator.Api;

namespace Spotalis.Resilience.Tests.Hostile;

/// <summary>
/// The AdmissionReview handler under hostile bodies: it never throws, answers a well-formed review with 200 and
/// <c>allowed: true</c>, answers garbage with 400, and never patches a pod whose workload is not opted in.
/// </summary>
public sealed class AdmissionHandlerFuzzTests
{
    private readonly AdmissionHandler _handler = new(
        new FixedClusterView(),
        WebhookPlacementSettings.Default with { OwnerWaitTimeout = TimeSpan.Zero },
        new WebhookMetrics(Prometheus.Metrics.NewCustomRegistry()),
        NullLogger<AdmissionHandler>.Instance);

    [Fact]
    public void The_managed_sample_is_patched_and_the_unmanaged_one_is_not()
    {
        Assert.NotNull(Answer(Reviews.Review(Reviews.Pod("api-abc123"))).Patch);
        Assert.Null(Answer(Reviews.Review(Reviews.Pod("plain-abc123"))).Patch);
    }

    [Fact]
    public void Random_json_documents_get_200_or_400_and_never_throw()
    {
        Gen.Int.Sample(seed =>
        {
            var random = new Random(seed);
            var body = RandomJson.Create(random)?.ToJsonString() ?? "null";
            var result = _handler.Handle(Encoding.UTF8.GetBytes(body));
            Assert.Contains(result.StatusCode, new[] { 200, 400 });
            Assert.Null(Decode(result).Patch);
        }, iter: 5_000);
    }

    [Fact]
    public void Random_bytes_get_400()
    {
        Gen.Byte.Array[0, 2_000].Sample(bytes =>
        {
            var result = _handler.Handle(bytes);
            Assert.Contains(result.StatusCode, new[] { 200, 400 });
            if (result.StatusCode == 400)
            {
                Assert.StartsWith("invalid AdmissionReview: ", result.BodyText, StringComparison.Ordinal);
            }
        }, iter: 3_000);
    }

    [Fact]
    public void Every_truncation_of_a_review_gets_400_and_the_whole_one_200()
    {
        var body = Encoding.UTF8.GetBytes(Reviews.Review(Reviews.Pod("api-abc123")).ToJsonString());
        for (var length = 0; length < body.Length; length++)
        {
            Assert.Equal(400, _handler.Handle(body.AsMemory(0, length)).StatusCode);
        }

        Assert.Equal(200, _handler.Handle(body).StatusCode);
    }

    [Fact]
    public void A_wrong_type_anywhere_in_a_well_formed_review_never_throws_and_never_patches_an_unmanaged_pod()
    {
        JsonNode?[] replacements = [JsonValue.Create(42), JsonValue.Create("x"), JsonValue.Create(true), null, new JsonArray(), new JsonObject(), JsonValue.Create(1e308), JsonValue.Create(-1)];
        foreach (var replicaSet in new[] { "api-abc123", "plain-abc123" })
        {
            var original = Reviews.Review(Reviews.Pod(replicaSet));
            foreach (var path in Paths(original, []))
            {
                foreach (var replacement in replacements)
                {
                    var review = original.DeepClone().AsObject();
                    Replace(review, path, replacement?.DeepClone());
                    var answer = Answer(review, allow400: true);
                    if (replicaSet == "plain-abc123")
                    {
                        Assert.Null(answer.Patch);
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData("admission.k8s.io/v1beta1")]
    [InlineData("admission.k8s.io/v2")]
    [InlineData("v1")]
    [InlineData("")]
    public void A_review_of_another_api_version_gets_400_naming_the_version(string apiVersion)
    {
        var review = Reviews.Review(Reviews.Pod("api-abc123"));
        review["apiVersion"] = apiVersion;
        var result = _handler.Handle(review.ToJsonString());
        Assert.Equal(400, result.StatusCode);
        Assert.Contains("apiVersion", result.BodyText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(1_000)]
    [InlineData(100_000)]
    public void Deeply_nested_json_is_answered_without_a_crash(int depth)
    {
        var nested = new string('[', depth) + new string(']', depth);
        var review = Reviews.Review(Reviews.Pod("api-abc123")).ToJsonString();
        var inObject = review.Replace("\"spec\":{", $"\"deep\":{nested},\"spec\":{{", StringComparison.Ordinal);
        foreach (var body in new[] { nested, inObject, new string('{', depth) })
        {
            var result = _handler.Handle(body);
            Assert.Contains(result.StatusCode, new[] { 200, 400 });
        }

        Assert.Equal(400, _handler.Handle(new string('[', depth) + new string(']', depth)).StatusCode);
    }

    [Fact]
    public void Unicode_and_pointer_special_label_keys_are_kept_intact_by_the_patch()
    {
        Gen.Select(Gen.String[1, 40], Gen.String[0, 40]).Array[1, 6].Sample(pairs =>
        {
            var labels = new JsonObject { ["app"] = "api", ["pod-template-hash"] = "abc123", ["a/b~c~1~0"] = "x" };
            foreach (var (key, value) in pairs)
            {
                if (key != SpotalisKeys.CapacityType)
                {
                    labels[key] = value;
                }
            }

            var pod = Reviews.Pod("api-abc123", labels);
            var answer = Answer(Reviews.Review(pod));
            var patch = Assert.IsType<JsonArray>(answer.Patch);
            var patched = JsonPatch.Apply(pod.DeepClone(), patch);
            var patchedLabels = patched["metadata"]!["labels"]!.AsObject();
            Assert.Equal("spot", patchedLabels[SpotalisKeys.CapacityType]!.GetValue<string>());
            foreach (var (key, value) in labels)
            {
                Assert.Equal(value!.GetValue<string>(), patchedLabels[key]!.GetValue<string>());
            }
        }, iter: 500);
    }

    [Fact]
    public void Random_pods_of_unmanaged_or_unknown_owners_are_never_patched()
    {
        var owners = new[] { "plain-abc123", "unknown-abc123", "api-abc123x", "", "API-ABC123" };
        Gen.Select(Gen.Int, HostileStrings.Pick(owners), Gen.Bool).Sample((seed, owner, optInOnPod) =>
        {
            var random = new Random(seed);
            var labels = new JsonObject();
            for (var i = random.Next(6); i > 0; i--)
            {
                labels[RandomJson.String(random)] = RandomJson.String(random);
            }

            if (optInOnPod)
            {
                // A pod cannot opt itself in: only its workload (or namespace) label counts.
                labels[SpotalisKeys.Enabled] = "true";
                labels[SpotalisKeys.CapacityType] = "spot";
            }

            var review = Reviews.Review(Reviews.Pod(owner, labels));
            var answer = Answer(review);
            Assert.Null(answer.Patch);
        }, iter: 2_000);
    }

    [Fact]
    public void A_pod_near_the_size_limit_is_answered_with_bounded_allocation()
    {
        var annotations = new JsonObject();
        for (var i = 0; i < 2_500; i++)
        {
            annotations[$"example.com/key-{i}"] = new string('v', 1_000);
        }

        var pod = Reviews.Pod("api-abc123");
        pod["metadata"]!["annotations"] = annotations;
        var body = Encoding.UTF8.GetBytes(Reviews.Review(pod).ToJsonString());
        Assert.InRange(body.Length, 2_000_000, (int)WebhookEndpoint.MaxRequestBodyBytes);
        _handler.Handle(body); // warm up
        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = _handler.Handle(body);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(200, result.StatusCode);
        Assert.NotNull(Decode(result).Patch);
        // The handler parses once and patches only what it changes: far less than copying the pod a few times.
        Assert.True(allocated < 4L * body.Length, $"allocated {allocated:N0} bytes for a {body.Length:N0}-byte review");
    }

    private (bool Allowed, JsonArray? Patch) Answer(JsonObject review, bool allow400 = false)
    {
        var result = _handler.Handle(review.ToJsonString());
        if (allow400 && result.StatusCode == 400)
        {
            return (false, null);
        }

        Assert.Equal(200, result.StatusCode);
        return Decode(result);
    }

    private static (bool Allowed, JsonArray? Patch) Decode(AdmissionResult result)
    {
        if (result.StatusCode != 200)
        {
            Assert.Equal(400, result.StatusCode);
            return (false, null);
        }

        var response = JsonNode.Parse(result.Body)!["response"]!;
        Assert.True(response["allowed"]!.GetValue<bool>());
        var patch = response["patch"]?.GetValue<string>();
        return (true, patch is null ? null : (JsonArray)JsonNode.Parse(Convert.FromBase64String(patch))!);
    }

    private static IEnumerable<string[]> Paths(JsonNode node, string[] prefix)
    {
        if (node is JsonObject obj)
        {
            foreach (var (name, child) in obj)
            {
                string[] path = [.. prefix, name];
                yield return path;
                if (child is not null)
                {
                    foreach (var nested in Paths(child, path))
                    {
                        yield return nested;
                    }
                }
            }
        }
        else if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                string[] path = [.. prefix, i.ToString(System.Globalization.CultureInfo.InvariantCulture)];
                yield return path;
                if (array[i] is { } child)
                {
                    foreach (var nested in Paths(child, path))
                    {
                        yield return nested;
                    }
                }
            }
        }
    }

    private static void Replace(JsonNode root, string[] path, JsonNode? value)
    {
        var parent = root;
        foreach (var segment in path[..^1])
        {
            parent = parent is JsonArray a ? a[int.Parse(segment, System.Globalization.CultureInfo.InvariantCulture)]! : parent[segment]!;
        }

        if (parent is JsonArray array)
        {
            array[int.Parse(path[^1], System.Globalization.CultureInfo.InvariantCulture)] = value;
        }
        else
        {
            parent[path[^1]] = value;
        }
    }
}
