using Spotalis.Core.Capacity;
using Spotalis.Core.Workloads;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Spotalis.Migration;

/// <summary>Makes exactly the changes of the listed items that have an apply step, and nothing else.</summary>
public static class MigrationApplier
{
    private static readonly string OptOutPatch =
        System.Text.Json.JsonSerializer.Serialize(new { metadata = new { labels = new Dictionary<string, string> { [SpotalisKeys.Enabled] = SpotalisKeys.False } } });

    public static async Task<IReadOnlyList<MigrationItem>> ApplyAsync(IKubernetes client, IReadOnlyList<MigrationItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(items);
        var result = new List<MigrationItem>();
        foreach (var item in items)
        {
            if (item.Apply is null || item.Target is not { } target)
            {
                result.Add(item);
                continue;
            }

            try
            {
                var patch = new V1Patch(OptOutPatch, V1Patch.PatchType.MergePatch);
                switch (target.Kind)
                {
                    case WorkloadKinds.Deployment:
                        await client.AppsV1.PatchNamespacedDeploymentAsync(patch, target.Name, target.Namespace, cancellationToken: cancellationToken);
                        break;
                    case WorkloadKinds.StatefulSet:
                        await client.AppsV1.PatchNamespacedStatefulSetAsync(patch, target.Name, target.Namespace, cancellationToken: cancellationToken);
                        break;
                    case "MutatingWebhookConfiguration":
                        await client.AdmissionregistrationV1.DeleteMutatingWebhookConfigurationAsync(target.Name, cancellationToken: cancellationToken);
                        break;
                    default:
                        throw new InvalidOperationException($"no apply step for {target.Kind}");
                }

                result.Add(item with { Applied = true });
            }
            catch (HttpOperationException e)
            {
                result.Add(item with { Applied = false, ApplyError = $"{(int)e.Response.StatusCode} {e.Response.ReasonPhrase}: {e.Response.Content}" });
            }
        }

        return result;
    }
}
