using k8s.Models;

namespace Spotalis.Simulator.Cluster.Matching;

/// <summary>Taint/toleration matching as the scheduler and the taint manager do it.</summary>
internal static class TolerationMatcher
{
    public const string NoSchedule = "NoSchedule";
    public const string PreferNoSchedule = "PreferNoSchedule";
    public const string NoExecute = "NoExecute";

    public static bool Tolerates(IList<V1Toleration>? tolerations, V1Taint taint) => FindToleration(tolerations, taint) is not null;

    /// <summary>The first toleration that tolerates the taint, or null.</summary>
    public static V1Toleration? FindToleration(IList<V1Toleration>? tolerations, V1Taint taint)
    {
        if (tolerations is null)
        {
            return null;
        }

        foreach (var toleration in tolerations)
        {
            if (ToleratesOne(toleration, taint))
            {
                return toleration;
            }
        }

        return null;
    }

    private static bool ToleratesOne(V1Toleration toleration, V1Taint taint)
    {
        if (!string.IsNullOrEmpty(toleration.Effect) && toleration.Effect != taint.Effect)
        {
            return false;
        }

        if (string.IsNullOrEmpty(toleration.Key))
        {
            // An empty key with Exists tolerates every taint.
            return toleration.OperatorProperty == "Exists";
        }

        if (toleration.Key != taint.Key)
        {
            return false;
        }

        return toleration.OperatorProperty switch
        {
            "Exists" => true,
            null or "" or "Equal" => (toleration.Value ?? string.Empty) == (taint.Value ?? string.Empty),
            _ => false,
        };
    }
}
