using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Spotalis.Simulator.Api;

namespace Spotalis.Simulator.Http;

/// <summary>
/// The Kubernetes REST protocol over <see cref="ClusterApi"/>: discovery, CRUD, patch, watch, subresources, tables.
/// One concern at about 425 lines: the routing of verbs and paths to the API with the request and response bodies; the
/// subresources (eviction, binding, scale), patches, field selectors, tables and the watch stream are in their own files
/// beside it.
/// </summary>
internal sealed partial class KubernetesRequestHandler(ClusterApi api, string? bearerToken, ILogger? logger)
{
    private const int FlushEvery = 500;

    /// <summary>Like Go's encoder: apostrophes and other HTML-sensitive characters are written as they are.</summary>
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            if (bearerToken is not null && context.Request.Headers.Authorization.ToString() != $"Bearer {bearerToken}")
            {
                throw new ApiException(401, "Unauthorized", "Unauthorized");
            }

            var path = context.Request.Path.Value ?? "/";
            if (context.Request.Method == "GET" && await TryDiscoveryAsync(context, path).ConfigureAwait(false))
            {
                return;
            }

            var target = RequestTarget.Parse(path, api.Resources) ?? throw new ApiException(404, "NotFound", "the server could not find the requested resource");
            await DispatchAsync(context, target).ConfigureAwait(false);
        }
        catch (ApiException error)
        {
            await WriteErrorAsync(context, error).ConfigureAwait(false);
        }
        catch (JsonException error)
        {
            await WriteErrorAsync(context, new ApiException(400, "BadRequest", $"the request body could not be decoded: {error.Message}")).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception error) when (error is InvalidOperationException or FormatException or KeyNotFoundException or OverflowException)
        {
            // A body of the wrong shape (a string where a number belongs, a missing field): the client's mistake.
            await WriteErrorAsync(context, new ApiException(400, "BadRequest", $"the request could not be understood: {error.Message}")).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            logger?.RequestFailed(error, context.Request.Method, context.Request.Path);
            await WriteErrorAsync(context, new ApiException(500, "InternalError", $"Internal error occurred: {error.Message}")).ConfigureAwait(false);
        }
    }

    private static bool Flag(HttpContext context, string name) =>
        context.Request.Query[name].ToString() is "true" or "1";

    private static bool DryRun(HttpContext context) => context.Request.Query["dryRun"].ToString() == "All";

    private static long? Long(HttpContext context, string name)
    {
        var text = context.Request.Query[name].ToString();
        if (text.Length == 0)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ApiException(400, "BadRequest", $"invalid value for {name}: \"{text}\"");
    }

    private async Task<bool> TryDiscoveryAsync(HttpContext context, string path)
    {
        JsonNode? document = path.TrimEnd('/') switch
        {
            "/version" => Discovery.Version(),
            "/api" => Discovery.CoreVersions($"{context.Request.Host}"),
            "/apis" => Discovery.Groups(api.Resources),
            "/api/v1" => Discovery.Resources(api.Resources, string.Empty, "v1"),
            "/openapi/v3" => OpenApiDocuments.Root(api.Resources),
            "/healthz" or "/livez" or "/readyz" => null,
            var p when p.StartsWith("/openapi/v3/", StringComparison.Ordinal) => OpenApiDocuments.GroupVersion(api.Resources, p["/openapi/v3/".Length..])
                ?? throw new ApiException(404, "NotFound", "the server could not find the requested resource"),
            var p when p.StartsWith("/apis/", StringComparison.Ordinal) && p.Split('/', StringSplitOptions.RemoveEmptyEntries) is { Length: 2 } g =>
                Discovery.Group(api.Resources, g[1]) ?? throw new ApiException(404, "NotFound", "the server could not find the requested resource"),
            var p when p.StartsWith("/apis/", StringComparison.Ordinal) && p.Split('/', StringSplitOptions.RemoveEmptyEntries) is { Length: 3 } gv =>
                Discovery.Resources(api.Resources, gv[1], gv[2]) ?? throw new ApiException(404, "NotFound", "the server could not find the requested resource"),
            _ => JsonValue.Create("not-discovery"),
        };

        if (document is JsonValue)
        {
            return false;
        }

        if (document is null)
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("ok", context.RequestAborted).ConfigureAwait(false);
            return true;
        }

        await WriteNodeAsync(context, 200, document).ConfigureAwait(false);
        return true;
    }

    private Task DispatchAsync(HttpContext context, RequestTarget target)
    {
        var method = context.Request.Method;
        return (target.Name, target.Subresource, method) switch
        {
            (null, _, "GET") when target.LegacyWatch || Flag(context, "watch") => WatchAsync(context, target),
            (null, _, "GET") => ListAsync(context, target),
            (null, _, "POST") => CreateAsync(context, target),
            (null, _, "DELETE") => DeleteCollectionAsync(context, target),
            (not null, _, "GET") when target.LegacyWatch => WatchAsync(context, target with { Name = null }, target.Name),
            (not null, "scale", _) => ScaleAsync(context, target),
            (not null, "eviction", "POST") => EvictAsync(context, target),
            (not null, "binding", "POST") => BindAsync(context, target),
            (not null, null or "status", "GET") => GetAsync(context, target),
            (not null, null or "status", "PUT") => ReplaceAsync(context, target),
            (not null, null or "status", "PATCH") => PatchAsync(context, target),
            (not null, null, "DELETE") => DeleteAsync(context, target),
            _ => throw new ApiException(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource"),
        };
    }

    private async Task GetAsync(HttpContext context, RequestTarget target)
    {
        var obj = api.GetObject(target.Resource, target.Namespace, target.Name!) ?? throw ClusterApi.NotFound(target.Resource, target.Name!);
        if (TablePrinter.Wanted(context.Request.Headers.Accept))
        {
            await WriteNodeAsync(context, 200, TablePrinter.Table(target.Resource, [obj], obj.Metadata.ResourceVersion, null, context.Request.Query["includeObject"], api.Time.GetUtcNow())).ConfigureAwait(false);
            return;
        }

        await WriteObjectAsync(context, 200, obj).ConfigureAwait(false);
    }

    private async Task ListAsync(HttpContext context, RequestTarget target)
    {
        var labels = LabelSelector.Parse(context.Request.Query["labelSelector"]);
        var fields = FieldSelector.Parse(context.Request.Query["fieldSelector"], target.Resource);
        var (all, version) = api.ListObjects(target.Resource, target.Namespace);
        IEnumerable<IKubernetesObject<V1ObjectMeta>> items = all.Where(o => labels.Matches(o.Metadata.Labels) && fields.Matches(o));
        var continueText = context.Request.Query["continue"].ToString();
        if (continueText.Length > 0)
        {
            var (_, afterNamespace, afterName) = ContinueToken.Decode(continueText);
            items = items.Where(o => Compare(o, afterNamespace, afterName) > 0);
        }

        var selected = items.ToList();
        var limit = Long(context, "limit") ?? 0;
        string? nextToken = null;
        long? remaining = null;
        if (limit > 0 && selected.Count > limit)
        {
            remaining = selected.Count - limit;
            selected = selected.Take((int)limit).ToList();
            var last = selected[^1].Metadata;
            nextToken = ContinueToken.Encode(version, last.NamespaceProperty ?? string.Empty, last.Name);
        }

        var versionText = version.ToString(CultureInfo.InvariantCulture);
        if (TablePrinter.Wanted(context.Request.Headers.Accept))
        {
            await WriteNodeAsync(context, 200, TablePrinter.Table(target.Resource, selected, versionText, nextToken, context.Request.Query["includeObject"], api.Time.GetUtcNow())).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        var output = context.Response.BodyWriter;
        await using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteString("kind", target.Resource.ListKind);
        writer.WriteString("apiVersion", target.Resource.ApiVersion);
        writer.WriteStartObject("metadata");
        writer.WriteString("resourceVersion", versionText);
        if (nextToken is not null)
        {
            writer.WriteString("continue", nextToken);
            writer.WriteNumber("remainingItemCount", remaining!.Value);
        }

        writer.WriteEndObject();
        writer.WriteStartArray("items");
        var count = 0;
        foreach (var item in selected)
        {
            JsonSerializer.Serialize(writer, item, target.Resource.ModelType, KubeJson.Options);
            if (++count % FlushEvery == 0)
            {
                await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                await output.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        await output.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static int Compare(IKubernetesObject<V1ObjectMeta> obj, string namespaceName, string name)
    {
        var byNamespace = string.CompareOrdinal(obj.Metadata.NamespaceProperty ?? string.Empty, namespaceName);
        return byNamespace != 0 ? byNamespace : string.CompareOrdinal(obj.Metadata.Name, name);
    }

    private async Task CreateAsync(HttpContext context, RequestTarget target)
    {
        var obj = await ReadObjectAsync(context, target).ConfigureAwait(false);
        var created = await api.CreateObjectAsync(obj, DryRun(context), context.RequestAborted).ConfigureAwait(false);
        await WriteObjectAsync(context, 201, created).ConfigureAwait(false);
    }

    private async Task ReplaceAsync(HttpContext context, RequestTarget target)
    {
        var obj = await ReadObjectAsync(context, target).ConfigureAwait(false);
        if (obj.Metadata.Name != target.Name)
        {
            throw new ApiException(400, "BadRequest", $"the name of the object ({obj.Metadata.Name}) does not match the name on the URL ({target.Name})");
        }

        var updated = api.UpdateObject(obj, Scope(target), DryRun(context));
        await WriteObjectAsync(context, 200, updated).ConfigureAwait(false);
    }

    private static UpdateScope Scope(RequestTarget target) =>
        target.Subresource == "status" ? UpdateScope.StatusOnly : target.Resource.HasStatus ? UpdateScope.MainOnly : UpdateScope.Everything;

    private async Task PatchAsync(HttpContext context, RequestTarget target)
    {
        var patch = await ReadNodeAsync(context).ConfigureAwait(false);
        var contentType = context.Request.ContentType?.Split(';')[0].Trim() ?? string.Empty;
        for (var attempt = 0; ; attempt++)
        {
            var existing = api.GetObject(target.Resource, target.Namespace, target.Name!) ?? throw ClusterApi.NotFound(target.Resource, target.Name!);
            var patched = ApplyPatch(contentType, KubeJson.ToNode(existing), patch);
            var obj = KubeJson.FromNode(patched, target.Resource.ModelType);
            obj.Metadata ??= new V1ObjectMeta();
            var optimistic = string.IsNullOrEmpty(obj.Metadata.ResourceVersion) || obj.Metadata.ResourceVersion == existing.Metadata.ResourceVersion;
            obj.Metadata.ResourceVersion ??= existing.Metadata.ResourceVersion;
            obj.Metadata.Name = existing.Metadata.Name;
            obj.Metadata.NamespaceProperty = existing.Metadata.NamespaceProperty;
            try
            {
                var updated = api.UpdateObject(obj, Scope(target), DryRun(context));
                await WriteObjectAsync(context, 200, updated).ConfigureAwait(false);
                return;
            }
            catch (ApiException conflict) when (conflict.StatusCode == 409 && optimistic && attempt < 5)
            {
                // Someone wrote in between: patch the newer object again, as the apiserver does.
            }
        }
    }

    private static JsonNode ApplyPatch(string contentType, JsonObject original, JsonNode patch) => contentType switch
    {
        "application/json-patch+json" => JsonPatch.Apply(original, patch as JsonArray ?? throw new ApiException(400, "BadRequest", "a JSON patch must be a JSON array")),
        "application/merge-patch+json" => JsonMergePatch.Apply(original, patch) ?? throw new ApiException(400, "BadRequest", "the merge patch removed the object"),
        "application/strategic-merge-patch+json" => StrategicMergePatch.Apply(original, patch),
        "application/apply-patch+yaml" or "application/apply-patch+cbor" => throw new ApiException(415, "UnsupportedMediaType", "server-side apply is not supported by the Spotalis simulator; use client-side apply"),
        _ => throw new ApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json"),
    };

    private async Task DeleteAsync(HttpContext context, RequestTarget target)
    {
        var options = await ReadDeleteOptionsAsync(context).ConfigureAwait(false);
        var before = api.GetObject(target.Resource, target.Namespace, target.Name!) ?? throw ClusterApi.NotFound(target.Resource, target.Name!);
        var after = api.DeleteObject(target.Resource, target.Namespace, target.Name!, options.GracePeriodSeconds, options.PropagationPolicy, options.PreconditionUid, options.DryRun);
        if (after is not null || target.Resource.ModelType == typeof(V1Pod) || target.Resource.ModelType == typeof(V1Namespace))
        {
            await WriteObjectAsync(context, 200, after ?? before).ConfigureAwait(false);
            return;
        }

        await WriteNodeAsync(context, 200, StatusBody.Success(200, target.Resource, target.Name, before.Metadata.Uid)).ConfigureAwait(false);
    }

    private async Task DeleteCollectionAsync(HttpContext context, RequestTarget target)
    {
        var options = await ReadDeleteOptionsAsync(context).ConfigureAwait(false);
        var labels = LabelSelector.Parse(context.Request.Query["labelSelector"]);
        var fields = FieldSelector.Parse(context.Request.Query["fieldSelector"], target.Resource);
        var (all, version) = api.ListObjects(target.Resource, target.Namespace);
        var victims = all.Where(o => labels.Matches(o.Metadata.Labels) && fields.Matches(o)).ToList();
        foreach (var victim in victims)
        {
            try
            {
                api.DeleteObject(target.Resource, victim.Metadata.NamespaceProperty, victim.Metadata.Name, options.GracePeriodSeconds, options.PropagationPolicy, null, options.DryRun);
            }
            catch (ApiException gone) when (gone.StatusCode == 404)
            {
                // Deleted concurrently.
            }
        }

        var list = new JsonObject
        {
            ["kind"] = target.Resource.ListKind,
            ["apiVersion"] = target.Resource.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture) },
            ["items"] = new JsonArray(victims.Select(v => (JsonNode)KubeJson.ToNode(v)).ToArray()),
        };
        await WriteNodeAsync(context, 200, list).ConfigureAwait(false);
    }

    private static async Task<IKubernetesObject<V1ObjectMeta>> ReadObjectAsync(HttpContext context, RequestTarget target)
    {
        var node = await ReadNodeAsync(context, target.Resource.Kind).ConfigureAwait(false);
        if (node is not JsonObject body)
        {
            throw new ApiException(400, "BadRequest", "the request body must be a JSON object");
        }

        var kind = body["kind"]?.GetValue<string>();
        var apiVersion = body["apiVersion"]?.GetValue<string>();
        if ((kind is not null && kind != target.Resource.Kind) || (apiVersion is not null && apiVersion != target.Resource.ApiVersion))
        {
            throw new ApiException(400, "BadRequest", $"the API version in the data ({apiVersion}) does not match the expected API version ({target.Resource.ApiVersion}) or kind {kind} is not {target.Resource.Kind}");
        }

        var obj = KubeJson.FromNode(body, target.Resource.ModelType);
        obj.Metadata ??= new V1ObjectMeta();
        if (target.Resource.Namespaced)
        {
            if (!string.IsNullOrEmpty(obj.Metadata.NamespaceProperty) && obj.Metadata.NamespaceProperty != target.Namespace)
            {
                throw new ApiException(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request");
            }

            obj.Metadata.NamespaceProperty = target.Namespace;
        }

        return obj;
    }

    private static async Task<JsonNode> ReadNodeAsync(HttpContext context, string? protobufKind = null)
    {
        var contentType = context.Request.ContentType ?? string.Empty;
        if (ProtobufBody.IsProtobuf(contentType) && protobufKind is not null)
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            return ProtobufBody.Decode(buffer.ToArray(), protobufKind);
        }

        if (contentType.Contains("protobuf", StringComparison.Ordinal) || contentType.Contains("yaml", StringComparison.Ordinal) && !contentType.Contains("apply-patch", StringComparison.Ordinal))
        {
            throw new ApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json");
        }

        return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false)
            ?? throw new ApiException(400, "BadRequest", "the request body is empty");
    }

    private static async Task<DeleteOptions> ReadDeleteOptionsAsync(HttpContext context)
    {
        var grace = Long(context, "gracePeriodSeconds");
        var policy = context.Request.Query["propagationPolicy"].ToString() is { Length: > 0 } p ? p : null;
        var dryRun = DryRun(context);
        string? uid = null;
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            var body = await ReadNodeAsync(context, "DeleteOptions").ConfigureAwait(false);
            if (body is JsonObject options)
            {
                grace = options["gracePeriodSeconds"]?.GetValue<long>() ?? grace;
                policy = options["propagationPolicy"]?.GetValue<string>() ?? policy;
                if (options["orphanDependents"]?.GetValue<bool>() is bool orphan)
                {
                    policy ??= orphan ? "Orphan" : "Background";
                }

                uid = options["preconditions"]?["uid"]?.GetValue<string>();
                dryRun |= (options["dryRun"] as JsonArray)?.Any(d => d?.GetValue<string>() == "All") == true;
            }
        }

        return new DeleteOptions(grace, policy, uid, dryRun);
    }

    private static async Task WriteObjectAsync(HttpContext context, int status, object obj)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(KubeJson.ToUtf8(obj), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task WriteNodeAsync(HttpContext context, int status, JsonNode node)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(node.ToJsonString(Relaxed), context.RequestAborted).ConfigureAwait(false);
    }

    private async Task WriteErrorAsync(HttpContext context, ApiException error)
    {
        if (context.Response.HasStarted)
        {
            logger?.RequestFailedAfterResponseStarted(context.Request.Path, error.Message);
            return;
        }

        await WriteNodeAsync(context, error.StatusCode, StatusBody.Failure(error)).ConfigureAwait(false);
    }

    private sealed record DeleteOptions(long? GracePeriodSeconds, string? PropagationPolicy, string? PreconditionUid, bool DryRun);
}
