using System.Text.Json.Nodes;

namespace Spotalis.Deploy.Tests;

/// <summary>One permission: a verb on a resource, cluster-wide or in a namespace, optionally limited to names.</summary>
internal sealed record RbacPermission(string Scope, string ApiGroup, string Resource, string Verb, string ResourceNames);

/// <summary>Expands ClusterRole/Role rules into single permissions so that rule sets can be compared exactly.</summary>
internal static class Rbac
{
    public static IEnumerable<RbacPermission> Rules(IEnumerable<JsonObject> manifests) =>
        from manifest in manifests
        let kind = manifest["kind"]!.GetValue<string>()
        where kind is "ClusterRole" or "Role"
        from rule in manifest["rules"]!.AsArray()
        let names = string.Join(",", Strings(rule!["resourceNames"]))
        from apiGroup in Strings(rule!["apiGroups"])
        from resource in Strings(rule["resources"])
        from verb in Strings(rule["verbs"])
        select new RbacPermission(kind == "ClusterRole" ? "cluster" : "namespace", apiGroup, resource, verb, names);

    private static IEnumerable<string> Strings(JsonNode? array) =>
        (array as JsonArray ?? []).Select(n => n!.GetValue<string>());
}
