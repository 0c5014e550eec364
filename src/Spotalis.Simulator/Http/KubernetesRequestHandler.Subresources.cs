using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Spotalis.Simulator.Api;

namespace Spotalis.Simulator.Http;

/// <summary>The subresources a client posts or reads besides the object itself: pods/eviction, pods/binding and the scale subresource.</summary>
internal sealed partial class KubernetesRequestHandler
{
    private async Task EvictAsync(HttpContext context, RequestTarget target)
    {
        var body = await ReadNodeAsync(context, "Eviction").ConfigureAwait(false);
        var name = body["metadata"]?["name"]?.GetValue<string>();
        if (name is not null && name != target.Name)
        {
            throw new ApiException(400, "BadRequest", $"name in URL does not match name in Eviction object");
        }

        var deleteOptions = body["deleteOptions"];
        var grace = deleteOptions?["gracePeriodSeconds"]?.GetValue<long>();
        var dryRun = DryRun(context) || (deleteOptions?["dryRun"] as JsonArray)?.Any(d => d?.GetValue<string>() == "All") == true;
        api.EvictPod(target.Namespace!, target.Name!, grace, dryRun);
        await WriteNodeAsync(context, 201, StatusBody.Success(201)).ConfigureAwait(false);
    }

    private async Task BindAsync(HttpContext context, RequestTarget target)
    {
        var body = await ReadNodeAsync(context).ConfigureAwait(false);
        var node = body["target"]?["name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(node))
        {
            throw new ApiException(422, "Invalid", $"Binding \"{target.Name}\" is invalid: target.name: Required value");
        }

        api.Bind(target.Namespace!, target.Name!, node);
        await WriteNodeAsync(context, 201, StatusBody.Success(201)).ConfigureAwait(false);
    }

    private async Task ScaleAsync(HttpContext context, RequestTarget target)
    {
        var existing = api.GetObject(target.Resource, target.Namespace, target.Name!) ?? throw ClusterApi.NotFound(target.Resource, target.Name!);
        JsonObject scale = Scale(existing);
        switch (context.Request.Method)
        {
            case "GET":
                await WriteNodeAsync(context, 200, scale).ConfigureAwait(false);
                return;
            case "PUT":
            case "PATCH":
                var body = await ReadNodeAsync(context).ConfigureAwait(false);
                var desired = context.Request.Method == "PUT"
                    ? body
                    : ApplyPatch(context.Request.ContentType?.Split(';')[0].Trim() ?? string.Empty, scale, body);
                var replicas = desired["spec"]?["replicas"]?.GetValue<int>() ?? 0;
                var expectedVersion = desired["metadata"]?["resourceVersion"]?.GetValue<string>();
                if (context.Request.Method == "PUT" && !string.IsNullOrEmpty(expectedVersion) && expectedVersion != existing.Metadata.ResourceVersion)
                {
                    throw ClusterApi.Conflict(target.Resource, target.Name!);
                }

                var node = KubeJson.ToNode(existing);
                node["spec"]!["replicas"] = replicas;
                var updated = api.UpdateObject(KubeJson.FromNode(node, target.Resource.ModelType), UpdateScope.MainOnly, DryRun(context));
                await WriteNodeAsync(context, 200, Scale(updated)).ConfigureAwait(false);
                return;
            default:
                throw new ApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
        }
    }

    private static JsonObject Scale(IKubernetesObject<V1ObjectMeta> obj)
    {
        var node = KubeJson.ToNode(obj);
        var selector = node["spec"]?["selector"] is JsonNode s ? LabelSelectorText(s) : string.Empty;
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = obj.Metadata.Name,
                ["namespace"] = obj.Metadata.NamespaceProperty,
                ["uid"] = obj.Metadata.Uid,
                ["resourceVersion"] = obj.Metadata.ResourceVersion,
                ["creationTimestamp"] = node["metadata"]?["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = node["spec"]?["replicas"]?.GetValue<int>() ?? 0 },
            ["status"] = new JsonObject { ["replicas"] = node["status"]?["replicas"]?.GetValue<int>() ?? 0, ["selector"] = selector },
        };
    }

    private static string LabelSelectorText(JsonNode selector)
    {
        var parts = new List<string>();
        if (selector["matchLabels"] is JsonObject labels)
        {
            parts.AddRange(labels.Select(kv => $"{kv.Key}={kv.Value}"));
        }

        if (selector["matchExpressions"] is JsonArray expressions)
        {
            foreach (var e in expressions)
            {
                var key = e?["key"]?.GetValue<string>();
                var values = string.Join(',', (e?["values"] as JsonArray)?.Select(v => v?.GetValue<string>()) ?? []);
                parts.Add(e?["operator"]?.GetValue<string>() switch
                {
                    "In" => $"{key} in ({values})",
                    "NotIn" => $"{key} notin ({values})",
                    "Exists" => key!,
                    _ => $"!{key}",
                });
            }
        }

        return string.Join(',', parts);
    }
}
