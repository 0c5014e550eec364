using System.Text;
using System.Text.Json.Nodes;
using k8s.Models;
using Spotalis.Simulator.Api;
using static Spotalis.Simulator.Tests.Api.TestObjects;

namespace Spotalis.Simulator.Tests.Api;

public sealed class AdmissionPluginTests
{
    private readonly ClusterApi _api = new();

    [Fact]
    public async Task A_plugin_sees_an_AdmissionReview_and_its_JSONPatch_is_applied()
    {
        JsonNode? request = null;
        using var registration = _api.RegisterAdmissionPlugin((review, _) =>
        {
            request = JsonNode.Parse(review)!["request"];
            return Task.FromResult(Allow(request!["uid"]!.GetValue<string>(), """[{"op":"add","path":"/metadata/labels/spotalis.io~1capacity-type","value":"spot"}]"""));
        });

        var created = await _api.CreateAsync(Pod("a"));

        Assert.Equal("spot", created.Metadata.Labels["spotalis.io/capacity-type"]);
        Assert.Equal("CREATE", request!["operation"]!.GetValue<string>());
        Assert.Equal("default", request["namespace"]!.GetValue<string>());
        Assert.Equal("a", request["object"]!["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_failing_plugin_rejects_the_pod_unless_failures_are_ignored()
    {
        using (_api.RegisterAdmissionPlugin((_, _) => throw new InvalidOperationException("boom")))
        {
            var error = await Assert.ThrowsAsync<ApiException>(() => _api.CreateAsync(Pod("a")));
            Assert.Equal(500, error.StatusCode);
            Assert.Contains("failed calling webhook", error.Message, StringComparison.Ordinal);
            Assert.Null(_api.Get<V1Pod>("default", "a"));
        }

        using (_api.RegisterAdmissionPlugin((_, _) => throw new InvalidOperationException("boom"), ignoreFailures: true))
        {
            var created = await _api.CreateAsync(Pod("a"));
            Assert.False(created.Metadata.Labels.ContainsKey("spotalis.io/capacity-type"));
        }
    }

    [Fact]
    public async Task A_response_with_the_wrong_uid_is_a_failure()
    {
        using var registration = _api.RegisterAdmissionPlugin((_, _) => Task.FromResult(Allow("not-the-uid", "[]")));

        var error = await Assert.ThrowsAsync<ApiException>(() => _api.CreateAsync(Pod("a")));

        Assert.Contains("response.uid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_denial_carries_the_webhooks_message()
    {
        using var registration = _api.RegisterAdmissionPlugin((review, _) =>
        {
            var uid = JsonNode.Parse(review)!["request"]!["uid"]!.GetValue<string>();
            return Task.FromResult("""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"UID","allowed":false,"status":{"code":403,"message":"no spot today"}}}""".Replace("UID", uid, StringComparison.Ordinal));
        }, name: "deny.example.com");

        var error = await Assert.ThrowsAsync<ApiException>(() => _api.CreateAsync(Pod("a")));

        Assert.Equal(403, error.StatusCode);
        Assert.Equal("admission webhook \"deny.example.com\" denied the request: no spot today", error.Message);
    }

    private static string Allow(string uid, string patch) =>
        new JsonObject
        {
            ["apiVersion"] = "admission.k8s.io/v1",
            ["kind"] = "AdmissionReview",
            ["response"] = new JsonObject
            {
                ["uid"] = uid,
                ["allowed"] = true,
                ["patchType"] = "JSONPatch",
                ["patch"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(patch)),
            },
        }.ToJsonString();
}
