using System.Text.Json.Nodes;
using Spotalis.Simulator.Api;

namespace Spotalis.Simulator.Http;

/// <summary>The discovery documents: <c>/version</c>, <c>/api</c>, <c>/apis</c>, <c>/api/v1</c>, <c>/apis/{group}[/{version}]</c>.</summary>
internal static class Discovery
{
    /// <summary>The Kubernetes version the simulator reports (kubectl warns beyond one minor version of skew).</summary>
    public const string Minor = "32";

    private static readonly string[] AllCategory = ["Pod", "Service", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"];

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = Minor,
        ["gitVersion"] = $"v1.{Minor}.0-spotalis-simulator",
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z",
        ["goVersion"] = "go1.23.0",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject Groups(ResourceCatalog catalog) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(catalog.GroupVersions.Select(gv => gv.Group).Distinct().Select(g => (JsonNode)Group(catalog, g)!).ToArray()),
    };

    public static JsonObject? Group(ResourceCatalog catalog, string group)
    {
        var versions = catalog.GroupVersions.Where(gv => gv.Group == group).Select(gv => gv.Version).ToList();
        if (versions.Count == 0)
        {
            return null;
        }

        JsonObject Entry(string v) => new() { ["groupVersion"] = $"{group}/{v}", ["version"] = v };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray(versions.Select(v => (JsonNode)Entry(v)).ToArray()),
            ["preferredVersion"] = Entry(versions[0]),
        };
    }

    public static JsonObject? Resources(ResourceCatalog catalog, string group, string version)
    {
        var resources = catalog.All.Where(r => r.Group == group && r.Version == version).ToList();
        if (resources.Count == 0)
        {
            return null;
        }

        var list = new JsonArray();
        foreach (var r in resources)
        {
            var entry = new JsonObject
            {
                ["name"] = r.Plural,
                ["singularName"] = r.Singular,
                ["namespaced"] = r.Namespaced,
                ["kind"] = r.Kind,
                ["verbs"] = new JsonArray("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"),
            };
            if (r.ShortNames.Count > 0)
            {
                entry["shortNames"] = new JsonArray(r.ShortNames.Select(s => (JsonNode)s!).ToArray());
            }

            if (AllCategory.Contains(r.Kind) && r.Group is "" or "apps")
            {
                entry["categories"] = new JsonArray("all");
            }
            else if (r.Categories.Count > 0)
            {
                entry["categories"] = new JsonArray(r.Categories.Select(c => (JsonNode)c!).ToArray());
            }

            list.Add(entry);
            foreach (var sub in r.Subresources)
            {
                list.Add(sub switch
                {
                    "status" => Sub(r, sub, r.Kind, null, null, "get", "patch", "update"),
                    "scale" => Sub(r, sub, "Scale", "autoscaling", "v1", "get", "patch", "update"),
                    "eviction" => Sub(r, sub, "Eviction", "policy", "v1", "create"),
                    _ => Sub(r, sub, "Binding", null, null, "create"),
                });
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = list,
        };
    }

    private static JsonObject Sub(ResourceType r, string sub, string kind, string? group, string? version, params string[] verbs)
    {
        var entry = new JsonObject
        {
            ["name"] = $"{r.Plural}/{sub}",
            ["singularName"] = string.Empty,
            ["namespaced"] = r.Namespaced,
        };
        if (group is not null)
        {
            entry["group"] = group;
            entry["version"] = version;
        }

        entry["kind"] = kind;
        entry["verbs"] = new JsonArray(verbs.Select(v => (JsonNode)v!).ToArray());
        return entry;
    }
}
