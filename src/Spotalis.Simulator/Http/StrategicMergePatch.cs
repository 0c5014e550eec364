using System.Text.Json.Nodes;
using Spotalis.Simulator.Api;

namespace Spotalis.Simulator.Http;

/// <summary>
/// Strategic merge patch for the built-in kinds the simulator serves. Lists merge by their Kubernetes merge key
/// (containers/volumes/env by <c>name</c>, container ports by <c>containerPort</c>, service ports by <c>port</c>,
/// conditions by <c>type</c>, ownerReferences by <c>uid</c>, ...) and are otherwise replaced (tolerations,
/// nodeSelectorTerms, args). Supports the <c>$patch</c> (replace/delete/merge), <c>$retainKeys</c>,
/// <c>$setElementOrder/</c> and <c>$deleteFromPrimitiveList/</c> directives and primitive-list merging of finalizers.
/// </summary>
internal static class StrategicMergePatch
{
    private static readonly Dictionary<string, string> MergeKeys = new(StringComparer.Ordinal)
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["volumes"] = "name",
        ["env"] = "name",
        ["imagePullSecrets"] = "name",
        ["volumeMounts"] = "mountPath",
        ["volumeDevices"] = "devicePath",
        ["conditions"] = "type",
        ["ownerReferences"] = "uid",
        ["hostAliases"] = "ip",
        ["topologySpreadConstraints"] = "topologyKey",
        ["resourceClaims"] = "name",
        ["containerStatuses"] = "name",
        ["initContainerStatuses"] = "name",
        ["addresses"] = "type",
        ["taints"] = "key",
        ["readinessGates"] = "conditionType",
    };

    private static readonly HashSet<string> MergedPrimitiveLists = new(StringComparer.Ordinal) { "finalizers" };

    public static JsonNode Apply(JsonNode original, JsonNode patch)
    {
        if (original is not JsonObject target || patch is not JsonObject changes)
        {
            throw new ApiException(400, "BadRequest", "a strategic merge patch must be a JSON object");
        }

        return MergeObject((JsonObject)target.DeepClone(), changes);
    }

    private static JsonObject MergeObject(JsonObject target, JsonObject patch)
    {
        if (patch["$patch"]?.GetValue<string>() == "replace")
        {
            var replaced = (JsonObject)patch.DeepClone();
            replaced.Remove("$patch");
            return replaced;
        }

        var orders = new Dictionary<string, JsonArray>(StringComparer.Ordinal);
        foreach (var (key, value) in patch.ToList())
        {
            if (key == "$patch")
            {
                continue;
            }

            if (key == "$retainKeys" && value is JsonArray retain)
            {
                var keep = retain.Select(k => k?.GetValue<string>()).ToHashSet();
                foreach (var existing in target.Select(p => p.Key).ToList().Where(k => !keep.Contains(k) && !patch.ContainsKey(k)))
                {
                    target.Remove(existing);
                }

                continue;
            }

            if (key.StartsWith("$setElementOrder/", StringComparison.Ordinal) && value is JsonArray order)
            {
                orders[key["$setElementOrder/".Length..]] = order;
                continue;
            }

            if (key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal) && value is JsonArray removals)
            {
                var field = key["$deleteFromPrimitiveList/".Length..];
                if (target[field] is JsonArray list)
                {
                    foreach (var item in list.Where(i => removals.Any(r => JsonNode.DeepEquals(r, i))).ToList())
                    {
                        list.Remove(item);
                    }
                }

                continue;
            }

            if (value is null)
            {
                target.Remove(key);
                continue;
            }

            var current = target[key];
            target[key] = value switch
            {
                JsonObject obj when obj["$patch"]?.GetValue<string>() == "delete" => null,
                JsonObject obj when current is JsonObject currentObject => MergeObject(Detach(target, key, currentObject), obj),
                JsonObject obj => MergeObject(new JsonObject(), obj),
                JsonArray array => MergeList(key, current as JsonArray, array, target),
                _ => value.DeepClone(),
            };
            if (target[key] is null && value is JsonObject { } deleted && deleted["$patch"]?.GetValue<string>() == "delete")
            {
                target.Remove(key);
            }
        }

        foreach (var (field, order) in orders)
        {
            if (target[field] is JsonArray list)
            {
                target[field] = Reorder(field, list, order);
            }
        }

        return target;
    }

    private static JsonObject Detach(JsonObject parent, string key, JsonObject child)
    {
        parent.Remove(key);
        return child;
    }

    private static JsonArray MergeList(string field, JsonArray? current, JsonArray patch, JsonObject parent)
    {
        if (patch.Any(i => i is JsonObject o && o["$patch"]?.GetValue<string>() == "replace"))
        {
            return new JsonArray(patch.Where(i => !(i is JsonObject o && o.ContainsKey("$patch"))).Select(i => i?.DeepClone()).ToArray());
        }

        var mergeKey = MergeKey(field, current, patch, parent);
        if (mergeKey is null)
        {
            if (MergedPrimitiveLists.Contains(field) && current is not null)
            {
                var union = current.Select(i => i?.DeepClone()).ToList();
                union.AddRange(patch.Where(p => !union.Any(u => JsonNode.DeepEquals(u, p))).Select(p => p?.DeepClone()));
                return new JsonArray(union.ToArray());
            }

            return (JsonArray)patch.DeepClone();
        }

        var result = current is null ? new JsonArray() : (JsonArray)current.DeepClone();
        foreach (var item in patch)
        {
            if (item is not JsonObject element)
            {
                continue;
            }

            var key = element[mergeKey];
            var index = IndexOf(result, mergeKey, key);
            if (element["$patch"]?.GetValue<string>() == "delete")
            {
                if (index >= 0)
                {
                    result.RemoveAt(index);
                }

                continue;
            }

            if (index >= 0)
            {
                var existing = (JsonObject)result[index]!;
                result.RemoveAt(index);
                result.Insert(index, MergeObject(existing, element));
            }
            else
            {
                var added = (JsonObject)element.DeepClone();
                added.Remove("$patch");
                result.Add(added);
            }
        }

        return result;
    }

    private static string? MergeKey(string field, JsonArray? current, JsonArray patch, JsonObject parent)
    {
        if (field == "ports")
        {
            var sample = patch.OfType<JsonObject>().Concat(current?.OfType<JsonObject>() ?? []).FirstOrDefault();
            return sample is null ? null : sample.ContainsKey("containerPort") ? "containerPort" : "port";
        }

        if (field == "conditions" && parent.ContainsKey("nodeInfo"))
        {
            return "type";
        }

        return MergeKeys.GetValueOrDefault(field);
    }

    private static int IndexOf(JsonArray list, string mergeKey, JsonNode? key)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is JsonObject o && JsonNode.DeepEquals(o[mergeKey], key))
            {
                return i;
            }
        }

        return -1;
    }

    private static JsonArray Reorder(string field, JsonArray list, JsonArray order)
    {
        var key = MergeKeys.GetValueOrDefault(field) ?? (field == "ports" ? (list.OfType<JsonObject>().Any(o => o.ContainsKey("containerPort")) ? "containerPort" : "port") : null);
        var items = list.Select(i => i?.DeepClone()).ToList();
        var ordered = new List<JsonNode?>();
        foreach (var wanted in order)
        {
            var match = key is null
                ? items.FirstOrDefault(i => JsonNode.DeepEquals(i, wanted))
                : items.FirstOrDefault(i => i is JsonObject o && JsonNode.DeepEquals(o[key], wanted?[key]));
            if (match is not null)
            {
                ordered.Add(match);
                items.Remove(match);
            }
        }

        ordered.AddRange(items);
        return new JsonArray(ordered.ToArray());
    }
}
