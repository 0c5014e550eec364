using System.Text.Json.Nodes;
using k8s.Models;

namespace Spotalis.Benchmarks.Webhook;

/// <summary>
/// An AdmissionReview for a real-looking Deployment pod as the apiserver sends it (~3.5 KB): env, probes,
/// resources, volumes including the projected service-account token, default tolerations, security context.
/// </summary>
internal static class RealisticPod
{
    private const string PodTemplate = """
        {
          "kind": "Pod", "apiVersion": "v1",
          "metadata": {
            "generateName": "WORKLOAD-7d9c8b6f5-", "namespace": "shop",
            "labels": { "app": "WORKLOAD", "app.kubernetes.io/name": "WORKLOAD", "app.kubernetes.io/part-of": "shop", "pod-template-hash": "7d9c8b6f5", "spotalis.io/enabled": "true", "version": "v2.14.3" },
            "annotations": { "prometheus.io/scrape": "true", "prometheus.io/port": "9090", "kubectl.kubernetes.io/restartedAt": "2026-11-20T10:15:00Z" },
            "ownerReferences": [ { "apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "WORKLOAD-7d9c8b6f5", "uid": "0f0d3c44-8a3e-4b1c-9d0e-3f2b8e6a1c55", "controller": true, "blockOwnerDeletion": true } ]
          },
          "spec": {
            "volumes": [
              { "name": "config", "configMap": { "name": "WORKLOAD-config", "defaultMode": 420 } },
              { "name": "tmp", "emptyDir": { "sizeLimit": "256Mi" } },
              { "name": "kube-api-access-x7k2p", "projected": { "sources": [
                { "serviceAccountToken": { "expirationSeconds": 3607, "path": "token" } },
                { "configMap": { "name": "kube-root-ca.crt", "items": [ { "key": "ca.crt", "path": "ca.crt" } ] } },
                { "downwardAPI": { "items": [ { "path": "namespace", "fieldRef": { "apiVersion": "v1", "fieldPath": "metadata.namespace" } } ] } }
              ], "defaultMode": 420 } }
            ],
            "initContainers": [
              { "name": "migrate", "image": "registry.example.com/shop/WORKLOAD:2.14.3", "command": ["/app/migrate", "--wait-for-db=30s"],
                "resources": { "requests": { "cpu": "50m", "memory": "64Mi" } },
                "volumeMounts": [ { "name": "kube-api-access-x7k2p", "readOnly": true, "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount" } ],
                "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File", "imagePullPolicy": "IfNotPresent" }
            ],
            "containers": [
              { "name": "WORKLOAD", "image": "registry.example.com/shop/WORKLOAD:2.14.3",
                "args": ["--port=8080", "--metrics-port=9090", "--log-format=json"],
                "ports": [ { "name": "http", "containerPort": 8080, "protocol": "TCP" }, { "name": "metrics", "containerPort": 9090, "protocol": "TCP" } ],
                "env": [
                  { "name": "POD_NAME", "valueFrom": { "fieldRef": { "apiVersion": "v1", "fieldPath": "metadata.name" } } },
                  { "name": "POD_IP", "valueFrom": { "fieldRef": { "apiVersion": "v1", "fieldPath": "status.podIP" } } },
                  { "name": "DATABASE_URL", "valueFrom": { "secretKeyRef": { "name": "WORKLOAD-db", "key": "url" } } },
                  { "name": "CACHE_TTL", "value": "30s" }, { "name": "FEATURE_FLAGS", "value": "checkout-v2,fast-search" },
                  { "name": "OTEL_EXPORTER_OTLP_ENDPOINT", "value": "http://otel-collector.observability:4317" }
                ],
                "resources": { "limits": { "cpu": "1", "memory": "512Mi" }, "requests": { "cpu": "250m", "memory": "256Mi" } },
                "volumeMounts": [
                  { "name": "config", "mountPath": "/etc/WORKLOAD" }, { "name": "tmp", "mountPath": "/tmp" },
                  { "name": "kube-api-access-x7k2p", "readOnly": true, "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount" }
                ],
                "livenessProbe": { "httpGet": { "path": "/healthz", "port": "http", "scheme": "HTTP" }, "initialDelaySeconds": 10, "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3 },
                "readinessProbe": { "httpGet": { "path": "/ready", "port": "http", "scheme": "HTTP" }, "timeoutSeconds": 1, "periodSeconds": 5, "successThreshold": 1, "failureThreshold": 3 },
                "lifecycle": { "preStop": { "exec": { "command": ["sleep", "5"] } } },
                "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File", "imagePullPolicy": "IfNotPresent",
                "securityContext": { "allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true, "runAsNonRoot": true, "capabilities": { "drop": ["ALL"] } } }
            ],
            "restartPolicy": "Always", "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst",
            "serviceAccountName": "WORKLOAD", "serviceAccount": "WORKLOAD",
            "securityContext": { "runAsUser": 10001, "fsGroup": 10001, "seccompProfile": { "type": "RuntimeDefault" } },
            "affinity": { "podAntiAffinity": { "preferredDuringSchedulingIgnoredDuringExecution": [ { "weight": 100, "podAffinityTerm": { "labelSelector": { "matchLabels": { "app": "WORKLOAD" } }, "topologyKey": "kubernetes.io/hostname" } } ] } },
            "schedulerName": "default-scheduler",
            "tolerations": [
              { "key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300 },
              { "key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300 }
            ],
            "priority": 0, "enableServiceLinks": true, "preemptionPolicy": "PreemptLowerPriority"
          },
          "status": {}
        }
        """;

    /// <summary>One review per workload (the body differs only in names), as UTF-8 bytes.</summary>
    public static byte[][] Reviews(int workloads) =>
        [.. Enumerable.Range(0, workloads).Select(w => Review(PodTemplate.Replace("WORKLOAD", $"api-{w}", StringComparison.Ordinal), "shop"))];

    /// <summary>One review per ReplicaSet of a real (simulated) cluster: the pod names it as owner, with its labels, namespace and uid.</summary>
    public static byte[][] ReviewsFor(IEnumerable<V1ReplicaSet> replicaSets) =>
        [.. replicaSets.Select(rs =>
        {
            var app = rs.Metadata.OwnerReferences?.FirstOrDefault()?.Name ?? rs.Metadata.Name;
            var hash = rs.Metadata.Labels?.TryGetValue("pod-template-hash", out var h) == true ? h : "7d9c8b6f5";
            var pod = PodTemplate
                .Replace("WORKLOAD-7d9c8b6f5", rs.Metadata.Name, StringComparison.Ordinal)
                .Replace("7d9c8b6f5", hash, StringComparison.Ordinal)
                .Replace("0f0d3c44-8a3e-4b1c-9d0e-3f2b8e6a1c55", rs.Metadata.Uid, StringComparison.Ordinal)
                .Replace("\"namespace\": \"shop\"", $"\"namespace\": \"{rs.Metadata.NamespaceProperty}\"", StringComparison.Ordinal)
                .Replace("WORKLOAD", app, StringComparison.Ordinal);
            return Review(pod, rs.Metadata.NamespaceProperty);
        })];

    private static byte[] Review(string podJson, string namespaceName)
    {
        var pod = JsonNode.Parse(podJson)!;
        var review = new JsonObject
        {
            ["kind"] = "AdmissionReview",
            ["apiVersion"] = "admission.k8s.io/v1",
            ["request"] = new JsonObject
            {
                ["uid"] = Guid.NewGuid().ToString(),
                ["kind"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["kind"] = "Pod" },
                ["resource"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["resource"] = "pods" },
                ["requestKind"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["kind"] = "Pod" },
                ["requestResource"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["resource"] = "pods" },
                ["namespace"] = namespaceName,
                ["operation"] = "CREATE",
                ["userInfo"] = new JsonObject
                {
                    ["username"] = "system:serviceaccount:kube-system:replicaset-controller",
                    ["uid"] = "5f1e8a77-2b59-4d0e-8c1a-9e4f3b2a6d10",
                    ["groups"] = new JsonArray("system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"),
                },
                ["object"] = pod,
                ["oldObject"] = null,
                ["dryRun"] = false,
                ["options"] = new JsonObject { ["kind"] = "CreateOptions", ["apiVersion"] = "meta.k8s.io/v1" },
            },
        };
        return System.Text.Encoding.UTF8.GetBytes(review.ToJsonString());
    }
}
