using System.Collections.Concurrent;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Spotalis.Simulator.Api;

/// <summary>
/// Mutating admission for pod CREATE, as the apiserver does it: every matching MutatingWebhookConfiguration
/// (in name order) is called over HTTPS with caBundle verification and an AdmissionReview v1 carrying a fresh uid,
/// its base64 JSONPatch applied, honouring rules, namespaceSelector, objectSelector, failurePolicy and timeoutSeconds.
/// In-process plugins follow, with the same AdmissionReview JSON.
/// </summary>
internal sealed class MutatingAdmission(
    ClusterApi api,
    Func<string, string, int, Uri?>? serviceEndpointResolver,
    ILogger? logger,
    Func<string, CancellationToken, Task>? beforeCall = null)
{
    private readonly ConcurrentDictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);
    private readonly ServiceRouting _routing = new(api);
    private volatile Plugin[] _plugins = [];

    public bool HasWork => _plugins.Length > 0 || api.List<V1MutatingWebhookConfiguration>().Count > 0;

    public IDisposable AddPlugin(Func<string, CancellationToken, Task<string>> call, string name, bool ignoreFailures, TimeSpan timeout)
    {
        var plugin = new Plugin(name, call, ignoreFailures, timeout);
        lock (_clients)
        {
            _plugins = [.. _plugins, plugin];
        }

        return new Registration(() =>
        {
            lock (_clients)
            {
                _plugins = _plugins.Where(p => p != plugin).ToArray();
            }
        });
    }

    public async Task<V1Pod> AdmitAsync(V1Pod pod, bool dryRun, CancellationToken cancellationToken)
    {
        ObjectDefaults.Apply(pod);
        var ns = api.Get<V1Namespace>(null, pod.Metadata.NamespaceProperty);
        foreach (var configuration in api.List<V1MutatingWebhookConfiguration>())
        {
            foreach (var webhook in configuration.Webhooks ?? [])
            {
                if (!Matches(webhook, pod, ns))
                {
                    continue;
                }

                var ignore = webhook.FailurePolicy == "Ignore";
                var timeout = TimeSpan.FromSeconds(Math.Clamp(webhook.TimeoutSeconds ?? 10, 1, 30));
                pod = await CallAsync(webhook.Name, Describe(webhook.ClientConfig), ignore, timeout, pod, dryRun, (body, ct) => PostAsync(webhook, body, ct), cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var plugin in _plugins)
        {
            pod = await CallAsync(plugin.Name, "in-process plugin", plugin.IgnoreFailures, plugin.Timeout, pod, dryRun, plugin.Call, cancellationToken).ConfigureAwait(false);
        }

        return pod;
    }

    private static bool Matches(V1MutatingWebhook webhook, V1Pod pod, V1Namespace? ns)
    {
        var ruleMatches = (webhook.Rules ?? []).Any(rule =>
            (rule.Operations?.Any(o => o is "CREATE" or "*") ?? false) &&
            (rule.ApiGroups?.Any(g => g is "" or "*") ?? false) &&
            (rule.ApiVersions?.Any(v => v is "v1" or "*") ?? false) &&
            (rule.Resources?.Any(r => r is "pods" or "*" or "*/*") ?? false) &&
            rule.Scope is null or "*" or "Namespaced");
        return ruleMatches &&
            (webhook.NamespaceSelector is null || LabelSelector.From(webhook.NamespaceSelector).Matches(ns?.Metadata.Labels)) &&
            (webhook.ObjectSelector is null || LabelSelector.From(webhook.ObjectSelector).Matches(pod.Metadata.Labels));
    }

    private static string Describe(Admissionregistrationv1WebhookClientConfig? config) =>
        config switch
        {
            { Url: { Length: > 0 } url } => url,
            { Service: { } s } => $"https://{s.Name}.{s.NamespaceProperty}.svc:{s.Port ?? 443}{s.Path ?? "/"}",
            _ => "(no clientConfig)",
        };

    private async Task<V1Pod> CallAsync(
        string name,
        string url,
        bool ignoreFailures,
        TimeSpan timeout,
        V1Pod pod,
        bool dryRun,
        Func<string, CancellationToken, Task<string>> call,
        CancellationToken cancellationToken)
    {
        var uid = Guid.NewGuid().ToString();
        var request = Review(uid, pod, dryRun);
        JsonObject response;
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            string answer;
            try
            {
                answer = await call(request, deadline.Token).WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new WebhookFailure("context deadline exceeded");
            }

            response = (JsonNode.Parse(answer)?["response"] as JsonObject) ?? throw new WebhookFailure("the AdmissionReview has no response");
            if (response["uid"]?.GetValue<string>() != uid)
            {
                throw new WebhookFailure($"expected response.uid=\"{uid}\", got \"{response["uid"]}\"");
            }
        }
        catch (Exception ex) when (ex is not ApiException && !cancellationToken.IsCancellationRequested)
        {
            var message = ex is WebhookFailure ? ex.Message : $"failed to call webhook: {ex.Message}";
            var dialled = (ex as WebhookFailure)?.Dialled is { } d ? $" (dialled {d.Authority})" : string.Empty;
            logger?.WebhookCallFailed(
                name, url, dialled, pod.Metadata.NamespaceProperty, pod.Metadata.Name ?? pod.Metadata.GenerateName + "*", message,
                ignoreFailures ? "Ignore" : "Fail", ignoreFailures ? "the pod is admitted unpatched" : "the pod is rejected");
            if (ignoreFailures)
            {
                return pod;
            }

            throw new ApiException(500, "InternalError", $"Internal error occurred: failed calling webhook \"{name}\": {message}");
        }

        if (response["allowed"]?.GetValue<bool>() != true)
        {
            var status = response["status"];
            var code = status?["code"]?.GetValue<int>() is int c and > 0 ? c : 400;
            var why = status?["message"]?.GetValue<string>();
            throw new ApiException(code, status?["reason"]?.GetValue<string>() ?? (code == 403 ? "Forbidden" : "BadRequest"),
                why is { Length: > 0 } ? $"admission webhook \"{name}\" denied the request: {why}" : $"admission webhook \"{name}\" denied the request without explanation");
        }

        if (response["patch"]?.GetValue<string>() is not { Length: > 0 } patch)
        {
            return pod;
        }

        if (response["patchType"]?.GetValue<string>() is not "JSONPatch")
        {
            throw new ApiException(500, "InternalError", $"Internal error occurred: failed calling webhook \"{name}\": unsupported patch type \"{response["patchType"]}\"");
        }

        var operations = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(patch))) as JsonArray
            ?? throw new ApiException(500, "InternalError", $"Internal error occurred: failed calling webhook \"{name}\": the patch is not a JSON array");
        var patched = JsonPatch.Apply(KubeJson.ToNode(pod), operations);
        var result = (V1Pod)KubeJson.FromNode(patched, typeof(V1Pod));
        result.Metadata.NamespaceProperty = pod.Metadata.NamespaceProperty;
        return result;
    }

    private static string Review(string uid, V1Pod pod, bool dryRun)
    {
        JsonObject Gvk() => new() { ["group"] = string.Empty, ["version"] = "v1", ["kind"] = "Pod" };
        JsonObject Gvr() => new() { ["group"] = string.Empty, ["version"] = "v1", ["resource"] = "pods" };
        var review = new JsonObject
        {
            ["apiVersion"] = "admission.k8s.io/v1",
            ["kind"] = "AdmissionReview",
            ["request"] = new JsonObject
            {
                ["uid"] = uid,
                ["kind"] = Gvk(),
                ["resource"] = Gvr(),
                ["requestKind"] = Gvk(),
                ["requestResource"] = Gvr(),
                ["name"] = pod.Metadata.Name ?? string.Empty,
                ["namespace"] = pod.Metadata.NamespaceProperty,
                ["operation"] = "CREATE",
                ["userInfo"] = new JsonObject { ["username"] = "kubernetes-admin", ["groups"] = new JsonArray("system:masters", "system:authenticated") },
                ["object"] = KubeJson.ToNode(pod),
                ["oldObject"] = null,
                ["dryRun"] = dryRun,
                ["options"] = new JsonObject { ["apiVersion"] = "meta.k8s.io/v1", ["kind"] = "CreateOptions" },
            },
        };
        return review.ToJsonString();
    }

    private async Task<string> PostAsync(V1MutatingWebhook webhook, string body, CancellationToken cancellationToken)
    {
        var config = webhook.ClientConfig ?? throw new WebhookFailure("the webhook has no clientConfig");
        Uri address;
        Uri? connectTo = null;
        if (!string.IsNullOrEmpty(config.Url))
        {
            address = new Uri(config.Url);
        }
        else if (config.Service is { } service)
        {
            var port = service.Port ?? 443;
            address = new Uri($"https://{service.Name}.{service.NamespaceProperty}.svc:{port}{service.Path ?? "/"}");
            try
            {
                connectTo = serviceEndpointResolver?.Invoke(service.NamespaceProperty, service.Name, port) ?? _routing.Resolve(service.NamespaceProperty, service.Name, port);
            }
            catch (ServiceUnreachableException unreachable)
            {
                throw new WebhookFailure($"failed to call webhook: Post \"{address}\": {unreachable.Message}");
            }
        }
        else
        {
            throw new WebhookFailure("the webhook clientConfig has neither url nor service");
        }

        var client = Client(config.CaBundle, connectTo);
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        try
        {
            if (beforeCall is not null)
            {
                await beforeCall(webhook.Name, cancellationToken).ConfigureAwait(false);
            }

            using var reply = await client.PostAsync(address, content, cancellationToken).ConfigureAwait(false);
            var text = await reply.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!reply.IsSuccessStatusCode)
            {
                throw new WebhookFailure($"failed to call webhook: the server responded with the status code {(int)reply.StatusCode}") { Dialled = connectTo };
            }

            return text;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new WebhookFailure($"failed to call webhook: Post \"{address}\": context deadline exceeded") { Dialled = connectTo };
        }
        catch (HttpRequestException ex)
        {
            throw new WebhookFailure($"failed to call webhook: Post \"{address}\": {ex.InnerException?.Message ?? ex.Message}") { Dialled = connectTo };
        }
    }

    private HttpClient Client(byte[]? caBundle, Uri? connectTo)
    {
        var key = (caBundle is null ? "-" : Convert.ToBase64String(caBundle)) + "|" + connectTo;
        return _clients.GetOrAdd(key, _ =>
        {
            var trusted = new X509Certificate2Collection();
            if (caBundle is { Length: > 0 })
            {
                trusted.ImportFromPem(Encoding.UTF8.GetString(caBundle));
            }

            var handler = new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(1),
                SslOptions = new SslClientAuthenticationOptions
                {
                    RemoteCertificateValidationCallback = (_, certificate, _, errors) => Verify(trusted, certificate, errors),
                },
            };
            if (connectTo is not null)
            {
                handler.ConnectCallback = async (_, ct) =>
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        await socket.ConnectAsync(connectTo.Host, connectTo.Port, ct).ConfigureAwait(false);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                };
            }

            return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        });
    }

    /// <summary>Chain to the caBundle (or the system roots without one) and the host name must both check out.</summary>
    private static bool Verify(X509Certificate2Collection trusted, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        if (trusted.Count == 0)
        {
            return errors == SslPolicyErrors.None;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    private sealed record Plugin(string Name, Func<string, CancellationToken, Task<string>> Call, bool IgnoreFailures, TimeSpan Timeout);

    private sealed class Registration(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }

    private sealed class WebhookFailure(string message) : Exception(message)
    {
        /// <summary>The loopback address a service webhook was reached at, when the failure happened on the wire.</summary>
        public Uri? Dialled { get; init; }
    }
}
