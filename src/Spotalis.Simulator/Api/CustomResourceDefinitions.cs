using k8s.Models;

namespace Spotalis.Simulator.Api;

/// <summary>
/// What the apiextensions apiserver does with a CustomResourceDefinition: checks its names, reports it
/// <c>NamesAccepted</c> and <c>Established</c>, and turns its served versions into resources to serve.
/// </summary>
internal static class CustomResourceDefinitions
{
    /// <summary>Throws Invalid (422) for a definition the apiserver would refuse.</summary>
    public static void Validate(V1CustomResourceDefinition crd)
    {
        var resource = ResourceRegistry.ForType(typeof(V1CustomResourceDefinition));
        var name = crd.Metadata.Name ?? string.Empty;
        var spec = crd.Spec ?? throw ClusterApi.Invalid(resource, name, "spec", "Required value");
        var names = spec.Names ?? throw ClusterApi.Invalid(resource, name, "spec.names", "Required value");
        if (string.IsNullOrEmpty(spec.Group) || !spec.Group.Contains('.', StringComparison.Ordinal))
        {
            throw ClusterApi.Invalid(resource, name, "spec.group", $"Invalid value: \"{spec.Group}\": should be a domain with at least one dot");
        }

        if (string.IsNullOrEmpty(names.Plural) || string.IsNullOrEmpty(names.Kind))
        {
            throw ClusterApi.Invalid(resource, name, "spec.names", "Required value: plural and kind are required");
        }

        if (name != $"{names.Plural}.{spec.Group}")
        {
            throw ClusterApi.Invalid(resource, name, "metadata.name", $"Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group");
        }

        if (spec.Scope is not ("Namespaced" or "Cluster"))
        {
            throw ClusterApi.Invalid(resource, name, "spec.scope", $"Unsupported value: \"{spec.Scope}\": supported values: \"Cluster\", \"Namespaced\"");
        }

        var versions = spec.Versions ?? [];
        if (versions.Count == 0)
        {
            throw ClusterApi.Invalid(resource, name, "spec.versions", "Invalid value: must have exactly one version marked as storage version");
        }

        if (versions.Count(v => v.Storage) != 1)
        {
            throw ClusterApi.Invalid(resource, name, "spec.versions", "Invalid value: must have exactly one version marked as storage version");
        }

        if (ResourceRegistry.All.Any(r => r.Group == spec.Group && r.Plural == names.Plural))
        {
            throw ClusterApi.Invalid(resource, name, "spec.group", $"Invalid value: \"{spec.Group}\": {names.Plural}.{spec.Group} is served by the server itself");
        }
    }

    /// <summary>The resources the definition serves: one per served version, all sharing one store.</summary>
    public static IReadOnlyList<ResourceType> Resources(V1CustomResourceDefinition crd)
    {
        var spec = crd.Spec;
        var names = spec.Names;
        return (spec.Versions ?? []).Where(v => v.Served).Select(v =>
        {
            var subresources = new List<string>();
            if (v.Subresources?.Status is not null)
            {
                subresources.Add("status");
            }

            return new ResourceType(
                spec.Group,
                v.Name,
                names.Kind,
                names.Plural,
                string.IsNullOrEmpty(names.Singular) ? names.Kind.ToLowerInvariant() : names.Singular,
                spec.Scope == "Namespaced",
                typeof(CustomObject),
                names.ShortNames?.ToList() ?? [],
                subresources)
            {
                Categories = names.Categories?.ToList() ?? [],
            };
        }).ToList();
    }

    /// <summary>Fills the status a real apiserver reports once the names are accepted and the resource is served.</summary>
    public static void Establish(V1CustomResourceDefinition crd, DateTime now)
    {
        var spec = crd.Spec;
        crd.Status ??= new V1CustomResourceDefinitionStatus();
        crd.Status.AcceptedNames = new V1CustomResourceDefinitionNames
        {
            Kind = spec.Names.Kind,
            ListKind = spec.Names.ListKind ?? spec.Names.Kind + "List",
            Plural = spec.Names.Plural,
            Singular = string.IsNullOrEmpty(spec.Names.Singular) ? spec.Names.Kind.ToLowerInvariant() : spec.Names.Singular,
            ShortNames = spec.Names.ShortNames,
            Categories = spec.Names.Categories,
        };
        var stored = spec.Versions.First(v => v.Storage).Name;
        crd.Status.StoredVersions = [.. (crd.Status.StoredVersions ?? []).Append(stored).Distinct()];
        crd.Status.Conditions =
        [
            Condition("NamesAccepted", "NoConflicts", "no conflicts found", now, crd),
            Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", now, crd),
        ];
    }

    private static V1CustomResourceDefinitionCondition Condition(string type, string reason, string message, DateTime now, V1CustomResourceDefinition crd) =>
        new()
        {
            Type = type,
            Status = "True",
            Reason = reason,
            Message = message,
            LastTransitionTime = crd.Status?.Conditions?.FirstOrDefault(c => c.Type == type && c.Status == "True")?.LastTransitionTime ?? now,
        };
}
