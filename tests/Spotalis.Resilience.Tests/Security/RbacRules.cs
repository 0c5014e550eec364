using Spotalis.Resilience.Tests.Support;
using Spotalis.Simulator.Faults;
using YamlDotNet.RepresentationModel;

namespace Spotalis.Resilience.Tests.Security;

/// <summary>
/// The operator's RBAC rules as shipped in <c>deploy/kustomize/base</c> (which Spotalis.Deploy.Tests keeps equal to
/// the Helm chart): a ClusterRole and a Role in the operator's namespace.
/// </summary>
internal static class RbacRules
{
    public const string OperatorNamespace = "spotalis-system";

    private static readonly Lazy<IReadOnlyList<Rule>> Rules = new(Load);

    /// <summary>Fails naming every recorded request that no shipped rule allows.</summary>
    /// <param name="nameAliases">Object names a test had to give a second replica (e.g. its own webhook configuration) mapped to the shipped name.</param>
    public static void AssertOnlyGrantedCalls(IReadOnlyDictionary<ApiRequest, long> requests, IReadOnlyDictionary<string, string>? nameAliases = null)
    {
        Assert.NotEmpty(requests);
        var denied = requests.Keys
            .Select(r => r.Name is not null && nameAliases?.TryGetValue(r.Name, out var shipped) == true ? r with { Name = shipped } : r)
            .Where(r => !Allows(r)).Select(r => $"{r} ns={r.Namespace ?? "-"} name={r.Name ?? "-"}").Distinct().ToList();
        Assert.True(denied.Count == 0, "calls the chart's RBAC does not grant:" + Environment.NewLine + string.Join(Environment.NewLine, denied));
    }

    public static bool Allows(ApiRequest request) => Rules.Value.Any(rule =>
        (rule.ClusterWide || request.Namespace == OperatorNamespace) &&
        rule.Groups.Contains(request.Group) &&
        rule.Resources.Contains(request.RbacResource) &&
        rule.Verbs.Contains(request.Verb) &&
        (rule.ResourceNames.Count == 0 || (request.Name is not null && rule.ResourceNames.Contains(request.Name))));

    private static List<Rule> Load()
    {
        var rules = new List<Rule>();
        foreach (var (file, clusterWide) in new[] { ("clusterrole.yaml", true), ("role.yaml", false) })
        {
            var yaml = new YamlStream();
            yaml.Load(new StringReader(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "deploy", "kustomize", "base", file))));
            var root = (YamlMappingNode)yaml.Documents[0].RootNode;
            foreach (var item in ((YamlSequenceNode)root["rules"]).Children.Cast<YamlMappingNode>())
            {
                rules.Add(new Rule(clusterWide, List(item, "apiGroups"), List(item, "resources"), List(item, "verbs"), List(item, "resourceNames")));
            }
        }

        return rules;
    }

    private static HashSet<string> List(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlSequenceNode list
            ? [.. list.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "")]
            : [];

    private sealed record Rule(bool ClusterWide, HashSet<string> Groups, HashSet<string> Resources, HashSet<string> Verbs, HashSet<string> ResourceNames);
}
