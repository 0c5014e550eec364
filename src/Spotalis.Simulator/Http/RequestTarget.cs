using Spotalis.Simulator.Api;

namespace Spotalis.Simulator.Http;

/// <summary>A parsed resource URL: <c>/api/v1[/namespaces/{ns}]/{plural}[/{name}[/{subresource}]]</c> or the <c>/apis/{group}/{version}</c> equivalent.</summary>
internal sealed record RequestTarget(ResourceType Resource, string? Namespace, string? Name, string? Subresource, bool LegacyWatch)
{
    /// <summary>Parses a resource path; null when the path is not a resource path; throws NotFound for unknown resources.</summary>
    public static RequestTarget? Parse(string path, ResourceCatalog catalog)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        string group;
        string version;
        int restStart;
        if (segments.Length >= 3 && segments[0] == "api")
        {
            (group, version, restStart) = (string.Empty, segments[1], 2);
        }
        else if (segments.Length >= 4 && segments[0] == "apis")
        {
            (group, version, restStart) = (segments[1], segments[2], 3);
        }
        else
        {
            return null;
        }

        var rest = segments[restStart..];
        var legacyWatch = false;
        if (rest.Length > 0 && rest[0] == "watch")
        {
            legacyWatch = true;
            rest = rest[1..];
        }

        string? namespaceName = null;
        if (rest.Length >= 3 && rest[0] == "namespaces" && catalog.ForPath(group, version, rest[2]) is { Namespaced: true })
        {
            namespaceName = rest[1];
            rest = rest[2..];
        }

        if (rest.Length is 0 or > 3)
        {
            return null;
        }

        var resource = catalog.ForPath(group, version, rest[0])
            ?? throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        var name = rest.Length > 1 ? rest[1] : null;
        var subresource = rest.Length > 2 ? rest[2] : null;
        if (subresource is not null && !resource.Subresources.Contains(subresource))
        {
            throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        }

        if (resource.Namespaced && namespaceName is null && name is not null)
        {
            throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        }

        return new RequestTarget(resource, namespaceName, name, subresource, legacyWatch);
    }
}
