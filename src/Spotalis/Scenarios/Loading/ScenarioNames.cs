using System.Text.RegularExpressions;

namespace Spotalis.Scenarios.Loading;

/// <summary>The names a scenario gives (scenario, pools, workloads, namespaces) become Kubernetes names and file names.</summary>
internal static partial class ScenarioNames
{
    /// <summary>An RFC 1123 label: lower-case letters, digits and '-', starting and ending alphanumeric.</summary>
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    public static partial Regex DnsLabel();
}
