using System.Collections.Concurrent;
using System.Globalization;
using k8s.Models;

namespace Spotalis.Simulator.Api;

/// <summary>
/// Where a connection to a Service port goes, decided the way kube-proxy would with the simulator's loopback
/// networking: first the ready endpoints of the Service (EndpointSlices labelled <c>kubernetes.io/service-name</c>,
/// and the core/v1 Endpoints of the same name), matched to the Service port by port name, one endpoint per
/// connection in turn; without endpoints, 127.0.0.1 at the Service port's <c>targetPort</c> — a named one looked
/// up in the container ports of the pods the Service selects, or of their workload templates.
/// </summary>
internal sealed class ServiceRouting(ClusterApi api)
{
    private const string ServiceNameLabel = "kubernetes.io/service-name";
    private readonly ConcurrentDictionary<string, int> _turns = new(StringComparer.Ordinal);

    /// <summary>The address to dial for <paramref name="port"/> of the Service; throws <see cref="ServiceUnreachableException"/> with the reason.</summary>
    public Uri Resolve(string namespaceName, string name, int port)
    {
        var service = api.Get<V1Service>(namespaceName, name)
            ?? throw new ServiceUnreachableException($"service \"{namespaceName}/{name}\" not found");
        var servicePort = service.Spec?.Ports?.FirstOrDefault(p => p.Port == port)
            ?? throw new ServiceUnreachableException($"service \"{namespaceName}/{name}\" has no port {port}");

        var endpoints = ReadyEndpoints(namespaceName, name, servicePort.Name);
        if (endpoints.Count > 0)
        {
            var turn = _turns.AddOrUpdate($"{namespaceName}/{name}:{port}", 0, (_, t) => unchecked(t + 1));
            return endpoints[(int)((uint)turn % (uint)endpoints.Count)];
        }

        if (HasEndpointObjects(namespaceName, name))
        {
            throw new ServiceUnreachableException($"service \"{namespaceName}/{name}\" has no ready endpoint for port {Describe(servicePort)}");
        }

        var target = servicePort.TargetPort?.Value;
        if (string.IsNullOrEmpty(target))
        {
            return Loopback(port);
        }

        if (int.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return Loopback(number);
        }

        return Loopback(NamedContainerPort(service, target)
            ?? throw new ServiceUnreachableException(
                $"service \"{namespaceName}/{name}\" port {port} has targetPort \"{target}\", and no pod or workload template the service selects has a container port of that name"));
    }

    private static Uri Loopback(int port) => new(string.Create(CultureInfo.InvariantCulture, $"https://127.0.0.1:{port}/"));

    private static string Describe(V1ServicePort port) =>
        string.IsNullOrEmpty(port.Name) ? port.Port.ToString(CultureInfo.InvariantCulture) : $"\"{port.Name}\"";

    private static bool SamePortName(string? a, string? b) => (a ?? string.Empty) == (b ?? string.Empty);

    private static Uri Endpoint(string address, int port) =>
        new(string.Create(CultureInfo.InvariantCulture, $"https://{(address.Contains(':', StringComparison.Ordinal) ? $"[{address}]" : address)}:{port}/"));

    private static bool BelongsTo(V1EndpointSlice slice, string serviceName) =>
        slice.Metadata.Labels is { } labels && labels.TryGetValue(ServiceNameLabel, out var owner) && owner == serviceName;

    private bool HasEndpointObjects(string namespaceName, string name) =>
        api.Get<V1Endpoints>(namespaceName, name) is not null ||
        api.List<V1EndpointSlice>(namespaceName).Any(s => BelongsTo(s, name));

    private List<Uri> ReadyEndpoints(string namespaceName, string name, string? portName)
    {
        var result = new List<Uri>();
        foreach (var slice in api.List<V1EndpointSlice>(namespaceName).Where(s => BelongsTo(s, name)))
        {
            if (slice.Ports?.FirstOrDefault(p => SamePortName(p.Name, portName))?.Port is not { } port)
            {
                continue;
            }

            foreach (var endpoint in slice.Endpoints ?? [])
            {
                if (endpoint.Conditions?.Ready == false)
                {
                    continue;
                }

                result.AddRange((endpoint.Addresses ?? []).Select(address => Endpoint(address, port)));
            }
        }

        if (api.Get<V1Endpoints>(namespaceName, name) is { } endpoints)
        {
            foreach (var subset in endpoints.Subsets ?? [])
            {
                if (subset.Ports?.FirstOrDefault(p => SamePortName(p.Name, portName))?.Port is not { } port)
                {
                    continue;
                }

                result.AddRange((subset.Addresses ?? []).Select(address => Endpoint(address.Ip, port)));
            }
        }

        return result.Distinct().ToList();
    }

    private int? NamedContainerPort(V1Service service, string portName)
    {
        if (service.Spec?.Selector is not { Count: > 0 } labels)
        {
            return null;
        }

        var selector = LabelSelector.From(new V1LabelSelector { MatchLabels = labels });
        var ns = service.Metadata.NamespaceProperty;
        var pods = api.List<V1Pod>(ns).Where(p => selector.Matches(p.Metadata.Labels))
            .OrderBy(p => p.Metadata.DeletionTimestamp is null ? 0 : 1)
            .Select(p => p.Spec);
        var templates = api.List<V1Deployment>(ns).Select(d => d.Spec?.Template)
            .Concat(api.List<V1StatefulSet>(ns).Select(s => s.Spec?.Template))
            .Concat(api.List<V1ReplicaSet>(ns).Select(r => r.Spec?.Template))
            .Concat(api.List<V1DaemonSet>(ns).Select(d => d.Spec?.Template))
            .Where(t => t is not null && selector.Matches(t.Metadata?.Labels))
            .Select(t => t!.Spec);
        return pods.Concat(templates)
            .SelectMany(spec => spec?.Containers ?? [])
            .SelectMany(c => c.Ports ?? [])
            .FirstOrDefault(p => p.Name == portName && (p.Protocol ?? "TCP") == "TCP")?.ContainerPort;
    }
}
