using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Spotalis.Simulator.Api;

namespace Spotalis.Simulator.Http;

/// <summary>
/// Watch over HTTP: a chunked stream of <c>{"type":...,"object":...}</c> lines; ERROR with 410 Expired when the
/// resourceVersion is too old (as the watch cache does); BOOKMARK events when asked; ends after timeoutSeconds.
/// With selectors, objects entering or leaving the selection are reported as ADDED or DELETED, as upstream does.
/// </summary>
internal sealed partial class KubernetesRequestHandler
{
    private static readonly TimeSpan BookmarkInterval = TimeSpan.FromSeconds(5);

    private async Task WatchAsync(HttpContext context, RequestTarget target, string? onlyName = null)
    {
        var labels = LabelSelector.Parse(context.Request.Query["labelSelector"]);
        var fields = FieldSelector.Parse(onlyName is null ? context.Request.Query["fieldSelector"].ToString() : $"metadata.name={onlyName}", target.Resource);
        var bookmarks = Flag(context, "allowWatchBookmarks");
        var table = TablePrinter.Wanted(context.Request.Headers.Accept);
        var timeout = TimeSpan.FromSeconds(Long(context, "timeoutSeconds") ?? (1800 + Random.Shared.Next(1800)));
        var versionText = context.Request.Query["resourceVersion"].ToString();
        long? since = null;
        if (versionText.Length > 0 && versionText != "0")
        {
            since = long.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw new ApiException(400, "BadRequest", $"resourceVersion: Invalid value: \"{versionText}\": must be a number");
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        WatchSubscription subscription;
        try
        {
            subscription = api.OpenWatch(target.Resource, target.Namespace, since);
        }
        catch (ApiException expired) when (expired.StatusCode == 410)
        {
            await WriteEventAsync(context, "ERROR", StatusBody.Failure(expired)).ConfigureAwait(false);
            return;
        }

        using (subscription)
        {
            await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            var filtered = !labels.IsEverything || !fields.IsEverything;
            var selected = new HashSet<(string?, string)>();
            if (filtered && since is not null)
            {
                foreach (var item in api.ListObjects(target.Resource, target.Namespace).Items.Where(o => labels.Matches(o.Metadata.Labels) && fields.Matches(o)))
                {
                    selected.Add((item.Metadata.NamespaceProperty, item.Metadata.Name));
                }
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            deadline.CancelAfter(timeout);
            var first = true;
            try
            {
                while (!deadline.IsCancellationRequested)
                {
                    var current = api.CurrentResourceVersion;
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                    wait.CancelAfter(BookmarkInterval);
                    bool ready;
                    try
                    {
                        ready = await subscription.Changes.WaitToReadAsync(wait.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
                    {
                        if (bookmarks && !subscription.Changes.TryPeek(out _))
                        {
                            await WriteEventAsync(context, "BOOKMARK", Bookmark(target.Resource, current)).ConfigureAwait(false);
                        }

                        continue;
                    }

                    if (!ready)
                    {
                        return;
                    }

                    while (subscription.Changes.TryRead(out var change))
                    {
                        var type = Translate(change, filtered, selected, labels, fields);
                        if (type is null)
                        {
                            continue;
                        }

                        JsonNode payload = table
                            ? TableEvent(target.Resource, change.Object, context.Request.Query["includeObject"], ref first)
                            : JsonSerializer.SerializeToNode(change.Object, target.Resource.ModelType, KubeJson.Options)!;
                        await WriteEventAsync(context, type, payload).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Timeout or client disconnect ends the watch, as on a real apiserver.
            }
        }
    }

    private static string? Translate(ClusterChange change, bool filtered, HashSet<(string?, string)> selected, LabelSelector labels, FieldSelector fields)
    {
        var type = change.Type switch
        {
            ClusterChangeType.Added => "ADDED",
            ClusterChangeType.Modified => "MODIFIED",
            _ => "DELETED",
        };
        if (!filtered)
        {
            return type;
        }

        var key = (change.Object.Metadata.NamespaceProperty, change.Object.Metadata.Name);
        var matches = labels.Matches(change.Object.Metadata.Labels) && fields.Matches(change.Object);
        var was = selected.Contains(key);
        if (change.Type == ClusterChangeType.Deleted)
        {
            selected.Remove(key);
            return matches || was ? "DELETED" : null;
        }

        if (matches)
        {
            selected.Add(key);
            return was ? "MODIFIED" : "ADDED";
        }

        selected.Remove(key);
        return was ? "DELETED" : null;
    }

    private JsonObject TableEvent(ResourceType resource, IKubernetesObject<V1ObjectMeta> obj, string? includeObject, ref bool first)
    {
        var table = TablePrinter.Table(resource, [obj], obj.Metadata.ResourceVersion, null, includeObject, api.Time.GetUtcNow());
        if (!first)
        {
            table["columnDefinitions"] = new JsonArray();
        }

        first = false;
        return table;
    }

    private static JsonObject Bookmark(ResourceType resource, long version) => new()
    {
        ["kind"] = resource.Kind,
        ["apiVersion"] = resource.ApiVersion,
        ["metadata"] = new JsonObject { ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture) },
    };

    private static async Task WriteEventAsync(HttpContext context, string type, JsonNode payload)
    {
        var line = new JsonObject { ["type"] = type, ["object"] = payload }.ToJsonString(Relaxed) + "\n";
        await context.Response.WriteAsync(line, context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
