using System.Net;
using Spotalis.Core.Capacity;
using Spotalis.Core.Policy;
using Spotalis.Operator.Cache;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Spotalis.Operator.Hosting;

/// <summary>
/// Asks the API server whether Spotalis' webhook is in the admission path: a server-side dry-run create of a copy of
/// one opted-in pod (same owner, same <c>spotalis.io/*</c> labels, nothing persisted). The webhook placed it when the
/// answer carries the <c>spotalis.io/capacity-type</c> label.
/// </summary>
public sealed class AdmissionPathProbe(IKubernetes client, IClusterView view)
{
    /// <summary>Starts the detail when no webhook is registered at all (a deliberate setup, e.g. webhook.enabled=false).</summary>
    public const string NotInstalledPrefix = "the MutatingWebhookConfiguration ";

    /// <summary>True when <paramref name="detail"/> says no webhook is registered.</summary>
    public static bool MeansNotInstalled(string detail) =>
        detail.Contains(": " + NotInstalledPrefix, StringComparison.Ordinal) && detail.EndsWith("(webhook disabled or not installed)", StringComparison.Ordinal);

    /// <summary>
    /// Why evictions must stop (invariant 8), or null: the webhook is registered but a probe came back unplaced. A
    /// webhook not registered at all is a deliberate setup, left to the futile-move pause. The operator and
    /// <c>spotalis status</c> both judge a probe's result with this rule.
    /// </summary>
    public static string? ProblemOf(bool? inPath, string detail) =>
        inPath == false && !MeansNotInstalled(detail) ? detail : null;

    /// <summary>Null when the webhook placed the probe, else what went wrong and the likely causes.</summary>
    /// <returns>(InPath, Detail): InPath is null when nothing could be probed (no opted-in pod, or no permission).</returns>
    public async Task<(bool? InPath, string Detail)> CheckAsync(string configurationName, CancellationToken cancellationToken)
    {
        var sample = SamplePod();
        if (sample is null)
        {
            return (null, "no opted-in pod to probe with yet");
        }

        var probe = new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                GenerateName = "spotalis-admission-probe-",
                NamespaceProperty = sample.Namespace,
                Labels = sample.Labels.Where(l => l.Key != SpotalisKeys.CapacityType).ToDictionary(l => l.Key, l => l.Value),
                OwnerReferences = sample.Owners
                    .Select(o => new V1OwnerReference { ApiVersion = "apps/v1", Kind = o.Kind, Name = o.Name, Uid = o.Uid, Controller = o.Controller })
                    .ToList(),
            },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "probe", Image = "registry.k8s.io/pause:3.10" }] },
        };
        try
        {
            var answer = await client.CoreV1.CreateNamespacedPodAsync(probe, sample.Namespace, dryRun: "All", cancellationToken: cancellationToken);
            if (answer.Metadata?.Labels?.ContainsKey(SpotalisKeys.CapacityType) == true)
            {
                return (true, $"a dry-run pod in {sample.Namespace} was placed by the webhook");
            }
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            return (null, "cannot probe: the operator may not create pods (dry-run) in " + sample.Namespace);
        }

        return (false, await DiagnoseAsync(configurationName, sample.Namespace, cancellationToken));
    }

    private PodSnapshot? SamplePod() =>
        view.GetWorkloads()
            .Where(w => PolicyParser.Parse(w.Labels, w.Annotations, view.GetNamespaceLabels(w.Ref.Namespace)).Policy.Enabled)
            .SelectMany(w => view.GetPods(w.Ref))
            .FirstOrDefault(p => !p.Terminating && p.Owners.Any(o => o.Controller));

    private async Task<string> DiagnoseAsync(string configurationName, string namespaceName, CancellationToken cancellationToken)
    {
        var prefix = $"a dry-run pod in {namespaceName} came back without Spotalis' placement";
        V1MutatingWebhookConfiguration configuration;
        try
        {
            configuration = await client.AdmissionregistrationV1.ReadMutatingWebhookConfigurationAsync(configurationName, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return $"{prefix}: {NotInstalledPrefix}{configurationName} does not exist (webhook disabled or not installed)";
        }
        catch (HttpOperationException e)
        {
            return $"{prefix}; reading MutatingWebhookConfiguration {configurationName} failed ({(int)e.Response.StatusCode})";
        }

        var service = configuration.Webhooks?.Select(w => w.ClientConfig?.Service).FirstOrDefault(s => s is not null);
        if (service is not null)
        {
            try
            {
                await client.CoreV1.ReadNamespacedServiceAsync(service.Name, service.NamespaceProperty, cancellationToken: cancellationToken);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return $"{prefix}: its Service {service.NamespaceProperty}/{service.Name} does not exist";
            }
            catch (HttpOperationException)
            {
                // Not allowed to read Services: fall through to the general causes.
            }

            return $"{prefix}; the API server could not reach the webhook through Service {service.NamespaceProperty}/{service.Name} port {service.Port ?? 443} " +
                   "(likely causes: no ready endpoints or a wrong targetPort, an expired or wrong caBundle, a NetworkPolicy; failurePolicy Ignore hides the error)";
        }

        return $"{prefix}; likely causes: the webhook URL is unreachable, an expired or wrong caBundle, or a namespace/object selector that misses these pods " +
               "(failurePolicy Ignore hides the error)";
    }
}
