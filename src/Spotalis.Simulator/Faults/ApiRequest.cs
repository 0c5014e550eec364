using Microsoft.AspNetCore.Http;
using Spotalis.Simulator.Http;

namespace Spotalis.Simulator.Faults;

/// <summary>
/// An HTTP request as Kubernetes authorization sees it: verb (get, list, watch, create, update, patch, delete,
/// deletecollection), API group, resource and subresource.
/// </summary>
public sealed record ApiRequest(string Verb, string Group, string Resource, string? Subresource, string? Namespace, string? Name)
{
    /// <summary><c>resource</c> or <c>resource/subresource</c>, as RBAC rules name it.</summary>
    public string RbacResource => Subresource is null ? Resource : $"{Resource}/{Subresource}";

    public bool IsWatch => Verb == "watch";

    public override string ToString() => $"{Verb} {(Group.Length == 0 ? "core" : Group)}/{RbacResource}";

    /// <summary>The request's verb and resource, or null for non-resource paths (discovery, openapi, version).</summary>
    public static ApiRequest? From(HttpRequest request)
    {
        RequestTarget? target;
        try
        {
            target = RequestTarget.Parse(request.Path.Value ?? "", Api.ResourceCatalog.BuiltIn);
        }
        catch (Api.ApiException)
        {
            return null;
        }

        if (target is null)
        {
            return null;
        }

        var watch = target.LegacyWatch || string.Equals(request.Query["watch"], "true", StringComparison.OrdinalIgnoreCase) || request.Query["watch"] == "1";
        var verb = request.Method switch
        {
            "GET" when watch => "watch",
            "GET" when target.Name is null => "list",
            "GET" => "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" when target.Name is null => "deletecollection",
            "DELETE" => "delete",
            _ => request.Method.ToLowerInvariant(),
        };
        return new ApiRequest(verb, target.Resource.Group, target.Resource.Plural, target.Subresource, target.Namespace, target.Name);
    }
}
