using System.Text.Json.Nodes;
using Spotalis.Simulator.Api;

namespace Spotalis.Simulator.Http;

/// <summary>
/// The smallest OpenAPI v3 that kubectl needs: the root index of group/versions and, per group/version, a PATCH
/// operation per kind tagged with <c>x-kubernetes-group-version-kind</c> and the <c>fieldValidation</c> query
/// parameter, so kubectl delegates validation to the server. No schemas are published, so kubectl computes
/// strategic merge patches from its built-in types. OpenAPI v2 is not served (404).
/// </summary>
internal static class OpenApiDocuments
{
    public static JsonObject Root(ResourceCatalog catalog)
    {
        var paths = new JsonObject
        {
            ["api/v1"] = new JsonObject { ["serverRelativeURL"] = "/openapi/v3/api/v1?hash=SIM" },
        };
        foreach (var (group, version) in catalog.GroupVersions)
        {
            paths[$"apis/{group}/{version}"] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/apis/{group}/{version}?hash=SIM" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    public static JsonObject? GroupVersion(ResourceCatalog catalog, string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var (group, version) = parts switch
        {
            ["api", var v] => (string.Empty, v),
            ["apis", var g, var v] => (g, v),
            _ => (null, null),
        };
        if (group is null)
        {
            return null;
        }

        var resources = catalog.All.Where(r => r.Group == group && r.Version == version).ToList();
        if (resources.Count == 0)
        {
            return null;
        }

        var paths = new JsonObject();
        foreach (var r in resources)
        {
            var prefix = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
            var item = r.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{r.Plural}/{{name}}" : $"{prefix}/{r.Plural}/{{name}}";
            var gvk = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = r.Kind };
            paths[item] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["operationId"] = $"patch{r.Kind}",
                    ["parameters"] = new JsonArray(
                        new JsonObject { ["name"] = "fieldValidation", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } },
                        new JsonObject { ["name"] = "dryRun", ["in"] = "query", ["schema"] = new JsonObject { ["type"] = "string" } }),
                    ["requestBody"] = new JsonObject
                    {
                        ["content"] = new JsonObject
                        {
                            ["application/json-patch+json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } },
                            ["application/merge-patch+json"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object" } },
                        },
                    },
                    ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
                    ["x-kubernetes-action"] = "patch",
                    ["x-kubernetes-group-version-kind"] = gvk,
                },
            };
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = $"v1.{Discovery.Minor}.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }
}
