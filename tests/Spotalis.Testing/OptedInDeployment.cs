using System.Globalization;
using k8s.Models;

namespace Spotalis.Testing;

/// <summary>
/// The Deployment manifests the end-to-end tests, fault suite and scale benchmark create: pods selected by
/// <c>app=name</c> (also on the workload), the opt-in label on the workload and on its pod template (so the webhook sees the pods), and one
/// container with resource requests so the simulated scheduler packs nodes realistically.
/// </summary>
public static class OptedInDeployment
{
    public const string EnabledLabel = "spotalis.io/enabled";

    /// <summary>The policy annotations: <c>spotalis.io/spot-percentage</c> and, when given, <c>spotalis.io/min-on-demand</c>.</summary>
    public static Dictionary<string, string> Policy(int spotPercentage, int? minOnDemand = null)
    {
        var annotations = new Dictionary<string, string> { ["spotalis.io/spot-percentage"] = spotPercentage.ToString(CultureInfo.InvariantCulture) };
        if (minOnDemand is { } floor)
        {
            annotations["spotalis.io/min-on-demand"] = floor.ToString(CultureInfo.InvariantCulture);
        }

        return annotations;
    }

    /// <param name="enabledLabel">Value of the opt-in label on the workload and its pod template; null puts it on neither.</param>
    public static V1Deployment Create(
        string namespaceName,
        string name,
        int replicas,
        IDictionary<string, string> annotations,
        string? enabledLabel = "true",
        ContainerShape? container = null)
    {
        var selector = new Dictionary<string, string> { ["app"] = name };
        var workloadLabels = new Dictionary<string, string>(selector);
        var templateLabels = new Dictionary<string, string>(selector);
        if (enabledLabel is not null)
        {
            workloadLabels[EnabledLabel] = enabledLabel;
            templateLabels[EnabledLabel] = enabledLabel;
        }

        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = namespaceName,
                Labels = workloadLabels,
                Annotations = new Dictionary<string, string>(annotations),
            },
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                Selector = new V1LabelSelector { MatchLabels = selector },
                Template = PodTemplate(templateLabels, container ?? new ContainerShape()),
            },
        };
    }

    /// <summary>A pod template with the given labels and one container of the given shape.</summary>
    public static V1PodTemplateSpec PodTemplate(IDictionary<string, string> labels, ContainerShape container) => new()
    {
        Metadata = new V1ObjectMeta { Labels = labels },
        Spec = new V1PodSpec
        {
            TerminationGracePeriodSeconds = container.TerminationGracePeriodSeconds,
            Containers =
            [
                new V1Container
                {
                    Name = "app",
                    Image = container.Image,
                    Resources = new V1ResourceRequirements
                    {
                        Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(container.Cpu), ["memory"] = new(container.Memory) },
                    },
                },
            ],
        },
    };
}

/// <summary>The one container of a test pod: its image, requests and grace period (null = the Kubernetes default).</summary>
public sealed record ContainerShape(string Cpu = "100m", string Memory = "64Mi", long? TerminationGracePeriodSeconds = 1, string Image = "app:1");
