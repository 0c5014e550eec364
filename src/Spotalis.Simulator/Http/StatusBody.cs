using System.Text.Json.Nodes;
using Spotalis.Simulator.Api;

namespace Spotalis.Simulator.Http;

/// <summary>The <c>meta/v1 Status</c> bodies the apiserver returns for failures and some successes.</summary>
internal static class StatusBody
{
    public static JsonObject Failure(ApiException error)
    {
        var details = new JsonObject();
        if (error.Details is { } d)
        {
            details["name"] = d.Name;
            if (d.Group.Length > 0)
            {
                details["group"] = d.Group;
            }

            details["kind"] = d.Kind;
        }

        if (error.Causes.Count > 0)
        {
            details["causes"] = new JsonArray(error.Causes.Select(c =>
            {
                var cause = new JsonObject { ["reason"] = c.Reason, ["message"] = c.Message };
                if (c.Field is not null)
                {
                    cause["field"] = c.Field;
                }

                return (JsonNode)cause;
            }).ToArray());
        }

        var body = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = error.Message,
            ["reason"] = error.Reason,
        };
        if (details.Count > 0)
        {
            body["details"] = details;
        }

        body["code"] = error.StatusCode;
        return body;
    }

    public static JsonObject Success(int code, ResourceType? resource = null, string? name = null, string? uid = null)
    {
        var body = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
        };
        if (resource is not null)
        {
            body["details"] = new JsonObject { ["name"] = name, ["group"] = resource.Group, ["kind"] = resource.Plural, ["uid"] = uid };
        }

        body["code"] = code;
        return body;
    }
}
