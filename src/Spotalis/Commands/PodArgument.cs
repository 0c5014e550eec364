using System.Diagnostics.CodeAnalysis;

namespace Spotalis.Commands;

/// <summary>
/// The pod argument of <c>spotalis explain</c>: <c>namespace/name</c>, <c>name</c>, or kubectl's <c>pod/name</c>.
/// A workload reference such as <c>deployment/web</c> is refused with a hint, because the habit from kubectl would
/// otherwise be read as a pod named <c>web</c> in a namespace named <c>deployment</c>.
/// </summary>
public sealed record PodArgument(string? Namespace, string Name)
{
    private static readonly string[] PodKinds = ["pod", "pods", "po"];
    private static readonly string[] WorkloadKinds = ["deployment", "deployments", "deploy", "statefulset", "statefulsets", "sts"];

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says what is wrong and what to type instead.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out PodArgument? pod, [NotNullWhen(false)] out string? error)
    {
        pod = null;
        error = null;
        var parts = text.Split('/');
        if (parts.Length > 2 || parts.Any(string.IsNullOrWhiteSpace))
        {
            error = $"'{text}' is not <namespace>/<pod> or <pod>";
            return false;
        }

        if (parts.Length == 1)
        {
            pod = new PodArgument(null, parts[0]);
            return true;
        }

        var prefix = parts[0].ToLowerInvariant();
        if (PodKinds.Contains(prefix))
        {
            pod = new PodArgument(null, parts[1]);
            return true;
        }

        if (WorkloadKinds.Contains(prefix))
        {
            error = $"'{text}' names a workload, and explain takes one of its pods: list them with `kubectl get pods -n <namespace>`, " +
                    "or see the workload with `spotalis status -n <namespace>`";
            return false;
        }

        pod = new PodArgument(parts[0], parts[1]);
        return true;
    }
}
