using k8s;
using k8s.Models;

namespace Spotalis.Simulator.Api;

/// <summary>
/// The resources one apiserver serves right now: the built-in kinds of <see cref="ResourceRegistry"/> plus those of
/// its established CustomResourceDefinitions. Readers see an immutable snapshot; changes swap it.
/// </summary>
public sealed class ResourceCatalog
{
    private readonly object _sync = new();

    /// <summary>The built-in kinds only (for code that sees requests without a server, like fault injection).</summary>
    public static ResourceCatalog BuiltIn { get; } = new();
    private Snapshot _current = new([]);

    /// <summary>Every served resource, built-in ones first, in discovery order.</summary>
    public IReadOnlyList<ResourceType> All => _current.All;

    /// <summary>The group/versions served, in discovery order (core "v1" excluded).</summary>
    public IReadOnlyList<(string Group, string Version)> GroupVersions => _current.GroupVersions;

    /// <summary>The resource at <c>/api(s)/group/version/plural</c>, or null.</summary>
    public ResourceType? ForPath(string group, string version, string plural) =>
        _current.ByPath.GetValueOrDefault((group, version, plural));

    /// <summary>The resource an object belongs to; throws NotFound for a kind nothing defines.</summary>
    public ResourceType For(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (obj is not CustomObject custom)
        {
            return ResourceRegistry.ForType(obj.GetType());
        }

        return _current.Custom.FirstOrDefault(r => r.Kind == custom.Kind && r.ApiVersion == custom.ApiVersion)
            ?? throw new ApiException(404, "NotFound", $"no matches for kind \"{custom.Kind}\" in version \"{custom.ApiVersion}\"");
    }

    /// <summary>The custom resources of one CustomResourceDefinition (group and plural).</summary>
    public IReadOnlyList<ResourceType> Defined(string group, string plural) =>
        _current.Custom.Where(r => r.Group == group && r.Plural == plural).ToList();

    /// <summary>Serves <paramref name="versions"/> of one group/plural, replacing what was served for it.</summary>
    internal void Define(string group, string plural, IReadOnlyList<ResourceType> versions)
    {
        lock (_sync)
        {
            _current = new Snapshot([.. _current.Custom.Where(r => !(r.Group == group && r.Plural == plural)), .. versions]);
        }
    }

    /// <summary>Stops serving a group/plural.</summary>
    internal void Forget(string group, string plural) => Define(group, plural, []);

    private sealed class Snapshot
    {
        public Snapshot(IReadOnlyList<ResourceType> custom)
        {
            Custom = custom;
            All = [.. ResourceRegistry.All, .. custom];
            ByPath = All.ToDictionary(r => (r.Group, r.Version, r.Plural));
            GroupVersions = All.Where(r => r.Group.Length > 0).Select(r => (r.Group, r.Version)).Distinct().ToList();
        }

        public IReadOnlyList<ResourceType> Custom { get; }

        public IReadOnlyList<ResourceType> All { get; }

        public Dictionary<(string Group, string Version, string Plural), ResourceType> ByPath { get; }

        public IReadOnlyList<(string Group, string Version)> GroupVersions { get; }
    }
}
