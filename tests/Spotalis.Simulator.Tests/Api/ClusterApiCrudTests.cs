using k8s.Models;
using Spotalis.Simulator.Api;
using static Spotalis.Simulator.Tests.Api.TestObjects;

namespace Spotalis.Simulator.Tests.Api;

public sealed class ClusterApiCrudTests
{
    private readonly ClusterApi _api = new();

    [Fact]
    public async Task Create_fills_server_fields_and_defaults()
    {
        var created = await _api.CreateAsync(Pod("a"));

        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.Equal(_api.CurrentResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), created.Metadata.ResourceVersion);
        Assert.Equal(1, created.Metadata.Generation);
        Assert.Equal("Pending", created.Status.Phase);
        Assert.Equal(30, created.Spec.TerminationGracePeriodSeconds);
        Assert.Equal("v1", created.ApiVersion);
        Assert.Equal("Pod", created.Kind);
    }

    [Fact]
    public async Task GenerateName_produces_unique_names()
    {
        var template = Pod(null!);
        template.Metadata.GenerateName = "web-";
        var first = await _api.CreateAsync(template);
        var second = await _api.CreateAsync(template);

        Assert.StartsWith("web-", first.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal(9, first.Metadata.Name.Length);
        Assert.NotEqual(first.Metadata.Name, second.Metadata.Name);
    }

    [Fact]
    public async Task Duplicate_create_is_AlreadyExists()
    {
        await _api.CreateAsync(Pod("a"));
        var error = await Assert.ThrowsAsync<ApiException>(() => _api.CreateAsync(Pod("a")));

        Assert.Equal(409, error.StatusCode);
        Assert.Equal("AlreadyExists", error.Reason);
        Assert.Equal("pods \"a\" already exists", error.Message);
    }

    [Fact]
    public async Task Create_in_a_missing_namespace_is_NotFound_and_bad_names_are_Invalid()
    {
        var missing = await Assert.ThrowsAsync<ApiException>(() => _api.CreateAsync(Pod("a", ns: "nope")));
        var invalid = await Assert.ThrowsAsync<ApiException>(() => _api.CreateAsync(Pod("Bad_Name")));

        Assert.Equal(404, missing.StatusCode);
        Assert.Equal("namespaces \"nope\" not found", missing.Message);
        Assert.Equal(422, invalid.StatusCode);
        Assert.Equal("Invalid", invalid.Reason);
    }

    [Fact]
    public async Task List_is_per_namespace_or_cluster_wide_in_key_order()
    {
        _api.EnsureNamespace("other");
        await _api.CreateAsync(Pod("b"));
        await _api.CreateAsync(Pod("a"));
        await _api.CreateAsync(Pod("c", ns: "other"));

        Assert.Equal(["a", "b"], _api.List<V1Pod>("default").Select(p => p.Metadata.Name));
        Assert.Equal(["a", "b", "c"], _api.List<V1Pod>().Select(p => p.Metadata.Name));
        Assert.Contains(_api.List<V1Namespace>(), n => n.Metadata.Name == "kube-system");
    }

    [Fact]
    public async Task Stale_update_is_Conflict_and_resourceVersions_only_grow()
    {
        var created = await _api.CreateAsync(Pod("a"));
        var first = KubeJsonCopy(created);
        first.Metadata.Labels["v"] = "1";
        var updated = _api.Update(first);

        var stale = KubeJsonCopy(created);
        stale.Metadata.Labels["v"] = "2";
        var error = Assert.Throws<ApiException>(() => _api.Update(stale));

        Assert.Equal(409, error.StatusCode);
        Assert.Equal("Conflict", error.Reason);
        Assert.Contains("the object has been modified", error.Message, StringComparison.Ordinal);
        Assert.True(long.Parse(updated.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(created.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("1", _api.Get<V1Pod>("default", "a")!.Metadata.Labels["v"]);
    }

    [Fact]
    public async Task Spec_changes_bump_generation_metadata_changes_do_not_and_noops_keep_the_version()
    {
        var deployment = await _api.CreateAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default" },
            Spec = new V1DeploymentSpec
            {
                Replicas = 2,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } }, Spec = Pod("x").Spec },
            },
        });

        var labelled = _api.Mutate<V1Deployment>("default", "web", d => { d.Metadata.Labels = new Dictionary<string, string> { ["x"] = "y" }; return true; })!;
        var scaled = _api.Mutate<V1Deployment>("default", "web", d => { d.Spec.Replicas = 5; return true; })!;
        var noop = _api.Mutate<V1Deployment>("default", "web", d => { d.Spec.Replicas = 5; return true; })!;

        Assert.Equal(1, labelled.Metadata.Generation);
        Assert.Equal(2, scaled.Metadata.Generation);
        Assert.Equal(scaled.Metadata.ResourceVersion, noop.Metadata.ResourceVersion);
        Assert.Equal(1, deployment.Metadata.Generation);
    }

    [Fact]
    public async Task Mutate_hands_a_private_copy_and_leaves_earlier_snapshots_untouched()
    {
        await _api.CreateAsync(Pod("a"));
        var before = _api.Get<V1Pod>("default", "a")!;
        V1Pod? seen = null;

        var after = _api.Mutate<V1Pod>("default", "a", pod =>
        {
            seen = pod;
            pod.Metadata.Labels["tier"] = "gold";
            return true;
        })!;

        Assert.NotSame(before, seen);
        Assert.False(before.Metadata.Labels.ContainsKey("tier"));
        Assert.Equal("gold", after.Metadata.Labels["tier"]);
        Assert.Null(_api.Mutate<V1Pod>("default", "missing", _ => true));
    }

    [Fact]
    public async Task Mutate_returning_false_changes_nothing()
    {
        await _api.CreateAsync(Pod("a"));
        var version = _api.CurrentResourceVersion;

        _api.Mutate<V1Pod>("default", "a", pod =>
        {
            pod.Metadata.Labels["ignored"] = "yes";
            return false;
        });

        Assert.Equal(version, _api.CurrentResourceVersion);
        Assert.False(_api.Get<V1Pod>("default", "a")!.Metadata.Labels.ContainsKey("ignored"));
    }

    private static V1Pod KubeJsonCopy(V1Pod pod) => KubeJson.Clone(pod);
}
