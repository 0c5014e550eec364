using System.Text.Json.Nodes;

namespace Spotalis.Operator.Tests.Webhook;

/// <summary>Pods and AdmissionReviews as the apiserver sends them.</summary>
internal static class TestPods
{
    /// <summary>A ReplicaSet pod as the apiserver shows it at admission: generateName, no name yet.</summary>
    public static JsonObject DeploymentPod(string replicaSet = "api-abc123", string hash = "abc123") => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject
        {
            ["generateName"] = replicaSet + "-",
            ["namespace"] = "shop",
            ["labels"] = new JsonObject { ["app"] = "api", ["pod-template-hash"] = hash },
            ["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "apps/v1",
                ["kind"] = "ReplicaSet",
                ["name"] = replicaSet,
                ["uid"] = "rs-uid",
                ["controller"] = true,
                ["blockOwnerDeletion"] = true,
            }),
        },
        ["spec"] = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "api", ["image"] = "registry.example.com/api:1.2.3" }),
        },
    };

    public static JsonObject StatefulSetPod(string statefulSet, int ordinal) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject
        {
            ["name"] = $"{statefulSet}-{ordinal}",
            ["namespace"] = "shop",
            ["labels"] = new JsonObject { ["app"] = statefulSet, ["controller-revision-hash"] = "web-rev1" },
            ["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "apps/v1",
                ["kind"] = "StatefulSet",
                ["name"] = statefulSet,
                ["uid"] = "sts-uid",
                ["controller"] = true,
            }),
        },
        ["spec"] = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "db", ["image"] = "postgres:17" }),
        },
    };

    public static string Review(JsonNode pod, string uid = "", string operation = "CREATE", bool dryRun = false, string namespaceName = "shop") =>
        new JsonObject
        {
            ["apiVersion"] = "admission.k8s.io/v1",
            ["kind"] = "AdmissionReview",
            ["request"] = new JsonObject
            {
                ["uid"] = uid.Length > 0 ? uid : Guid.NewGuid().ToString(),
                ["kind"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["kind"] = "Pod" },
                ["resource"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["resource"] = "pods" },
                ["namespace"] = namespaceName,
                ["operation"] = operation,
                ["userInfo"] = new JsonObject { ["username"] = "system:serviceaccount:kube-system:replicaset-controller" },
                ["object"] = pod.DeepClone(),
                ["dryRun"] = dryRun,
            },
        }.ToJsonString();
}
