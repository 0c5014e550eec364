using System.Text.Json.Nodes;

namespace Spotalis.Resilience.Tests.Support;

/// <summary>AdmissionReviews of ReplicaSet pods as the apiserver sends them.</summary>
internal static class Reviews
{
    public static JsonObject Pod(string replicaSet, JsonObject? labels = null) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject
        {
            ["generateName"] = replicaSet + "-",
            ["namespace"] = "shop",
            ["labels"] = labels ?? new JsonObject { ["app"] = "api", ["pod-template-hash"] = "abc123" },
            ["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "apps/v1",
                ["kind"] = "ReplicaSet",
                ["name"] = replicaSet,
                ["uid"] = "rs-uid",
                ["controller"] = true,
            }),
        },
        ["spec"] = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "registry.example.com/app:1" }),
        },
    };

    public static JsonObject Review(JsonNode pod, string operation = "CREATE") => new()
    {
        ["apiVersion"] = "admission.k8s.io/v1",
        ["kind"] = "AdmissionReview",
        ["request"] = new JsonObject
        {
            ["uid"] = Guid.NewGuid().ToString(),
            ["kind"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["kind"] = "Pod" },
            ["resource"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["resource"] = "pods" },
            ["namespace"] = "shop",
            ["operation"] = operation,
            ["object"] = pod.DeepClone(),
        },
    };
}
