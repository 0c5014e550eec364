using System.Text.Json.Nodes;

namespace Spotalis.Deploy.Tests;

/// <summary>The operator gets exactly the permissions it needs, in both install methods.</summary>
public sealed class RbacTests
{
    /// <summary>The least-privilege set (self-managed certificates), written out so that any added verb fails a test.</summary>
    private static readonly RbacPermission[] Expected =
    [
        .. Verbs("cluster", "", "pods", "", "get", "list", "watch", "patch", "create"),
        .. Verbs("cluster", "", "nodes", "", "get", "list", "watch"),
        .. Verbs("cluster", "", "namespaces", "", "get", "list", "watch"),
        .. Verbs("cluster", "", "pods/eviction", "", "create"),
        .. Verbs("cluster", "apps", "deployments", "", "get", "list", "watch"),
        .. Verbs("cluster", "apps", "replicasets", "", "get", "list", "watch"),
        .. Verbs("cluster", "apps", "statefulsets", "", "get", "list", "watch"),
        .. Verbs("cluster", "policy", "poddisruptionbudgets", "", "list", "watch"),
        .. Verbs("cluster", "", "events", "", "create", "patch"),
        .. Verbs("cluster", "events.k8s.io", "events", "", "create", "patch"),
        .. Verbs("cluster", "admissionregistration.k8s.io", "mutatingwebhookconfigurations", "spotalis", "get", "update", "patch"),
        .. Verbs("namespace", "coordination.k8s.io", "leases", "", "create"),
        .. Verbs("namespace", "coordination.k8s.io", "leases", "spotalis-leader", "get", "update"),
        .. Verbs("namespace", "", "secrets", "", "create"),
        .. Verbs("namespace", "", "secrets", "spotalis-webhook-tls", "get", "update"),
    ];

    public static TheoryData<string> Sources => new() { "chart", "kustomize" };

    [Theory]
    [MemberData(nameof(Sources))]
    public void Permissions_are_exactly_the_least_privilege_set(string source)
    {
        var actual = Rbac.Rules(Render(source)).OrderBy(p => p.ToString(), StringComparer.Ordinal);

        Assert.Equal(Expected.OrderBy(p => p.ToString(), StringComparer.Ordinal), actual);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Bindings_grant_the_roles_to_the_operator_service_account_only(string source)
    {
        var manifests = Render(source);
        var deploymentAccount = Manifests.Single(manifests, "Deployment", "spotalis")["spec"]!["template"]!["spec"]!["serviceAccountName"]!.GetValue<string>();

        foreach (var kind in new[] { "ClusterRoleBinding", "RoleBinding" })
        {
            var binding = Manifests.Single(manifests, kind, "spotalis");
            var subject = Assert.Single(binding["subjects"]!.AsArray())!;
            Assert.Equal("ServiceAccount", subject["kind"]!.GetValue<string>());
            Assert.Equal(deploymentAccount, subject["name"]!.GetValue<string>());
            Assert.Equal("spotalis-system", subject["namespace"]!.GetValue<string>());
            Assert.Equal(kind == "RoleBinding" ? "Role" : "ClusterRole", binding["roleRef"]!["kind"]!.GetValue<string>());
        }
    }

    [Fact]
    public void Every_rule_in_the_chart_is_justified_by_a_comment()
    {
        foreach (var file in new[] { "clusterrole.yaml", "role.yaml" })
        {
            var lines = File.ReadAllLines(Path.Combine(RepoPaths.Chart, "templates", file))
                .Where(l => !l.TrimStart().StartsWith("{{", StringComparison.Ordinal))
                .ToList();
            for (var i = 0; i < lines.Count; i++)
            {
                if (lines[i].TrimStart().StartsWith("- apiGroups:", StringComparison.Ordinal))
                {
                    Assert.True(lines[i - 1].TrimStart().StartsWith('#'), $"{file}: rule '{lines[i].Trim()}' at line {i + 1} has no comment above it");
                }
            }
        }
    }

    private static IReadOnlyList<JsonObject> Render(string source) => source == "chart"
        ? new ChartRenderer(RepoPaths.Chart, "spotalis", "spotalis-system").RenderManifests()
        : Manifests.Kustomize(RepoPaths.KustomizeBase);

    private static IEnumerable<RbacPermission> Verbs(string scope, string group, string resource, string names, params string[] verbs) =>
        verbs.Select(v => new RbacPermission(scope, group, resource, v, names));
}
