using System.Text;
using k8s.Models;
using Spotalis.Simulator.Api;

namespace Spotalis.Simulator.Tests.Http;

/// <summary>
/// A webhook's <c>clientConfig.service</c> is reached the way kube-proxy would route it: through the Service's ready
/// endpoints (Endpoints or EndpointSlices, port matched by name, one endpoint per connection in turn), else through
/// a named <c>targetPort</c> looked up in the container ports of the selected pods or workload templates.
/// </summary>
public sealed class ServiceRoutingTests
{
    private const string Ns = "hooks";
    private const string Service = "webhook";

    [Fact]
    public async Task Hand_made_Endpoints_spread_pod_admissions_over_every_ready_address()
    {
        await using var backends = await ServiceWebhookBackends.StartAsync(Service, Ns, 3);
        var api = NewApi(out _);
        await api.CreateAsync(SelectorlessService("https"));
        await api.CreateAsync(new V1Endpoints
        {
            Metadata = new V1ObjectMeta { Name = Service, NamespaceProperty = Ns },
            Subsets =
            [
                new V1EndpointSubset
                {
                    Addresses = backends.Ports.Select(_ => new V1EndpointAddress { Ip = "127.0.0.1" }).Take(1).ToList(),
                    Ports = [new Corev1EndpointPort { Name = "https", Port = backends.Ports[0] }],
                },
                new V1EndpointSubset
                {
                    Addresses = [new V1EndpointAddress { Ip = "127.0.0.1" }],
                    Ports = [new Corev1EndpointPort { Name = "https", Port = backends.Ports[1] }],
                },
                new V1EndpointSubset
                {
                    Addresses = [new V1EndpointAddress { Ip = "127.0.0.1" }],
                    Ports = [new Corev1EndpointPort { Name = "https", Port = backends.Ports[2] }],
                },
            ],
        });
        await api.CreateAsync(Configuration(backends.CaPem, "Fail"));

        var labels = new List<string>();
        for (var i = 0; i < 9; i++)
        {
            labels.Add((await api.CreateAsync(Pod($"p{i}"))).Metadata.Labels["backend"]);
        }

        Assert.Equal(["0", "1", "2"], labels.Distinct().Order());
        Assert.All(backends.CallsByBackend.Values, calls => Assert.Equal(3, calls));
    }

    [Fact]
    public async Task EndpointSlices_route_by_port_name_and_never_to_an_endpoint_that_is_not_ready()
    {
        await using var backends = await ServiceWebhookBackends.StartAsync(Service, Ns, 3);
        var api = NewApi(out _);
        await api.CreateAsync(SelectorlessService("https"));
        await api.CreateAsync(new V1EndpointSlice
        {
            Metadata = new V1ObjectMeta { Name = $"{Service}-a", NamespaceProperty = Ns, Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = Service } },
            AddressType = "IPv4",
            Ports = [new Discoveryv1EndpointPort { Name = "https", Port = backends.Ports[0] }, new Discoveryv1EndpointPort { Name = "metrics", Port = backends.Ports[2] }],
            Endpoints = [new V1Endpoint { Addresses = ["127.0.0.1"], Conditions = new V1EndpointConditions { Ready = true } }],
        });
        await api.CreateAsync(new V1EndpointSlice
        {
            Metadata = new V1ObjectMeta { Name = $"{Service}-b", NamespaceProperty = Ns, Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = Service } },
            AddressType = "IPv4",
            Ports = [new Discoveryv1EndpointPort { Name = "https", Port = backends.Ports[1] }],
            Endpoints = [new V1Endpoint { Addresses = ["127.0.0.1"], Conditions = new V1EndpointConditions { Ready = false } }],
        });
        await api.CreateAsync(Configuration(backends.CaPem, "Fail"));

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("0", (await api.CreateAsync(Pod($"p{i}"))).Metadata.Labels["backend"]);
        }

        Assert.False(backends.CallsByBackend.ContainsKey(1));
        Assert.False(backends.CallsByBackend.ContainsKey(2));
    }

    [Fact]
    public async Task A_named_targetPort_is_dialled_at_the_container_port_of_that_name_in_the_selected_workload_template()
    {
        await using var backends = await ServiceWebhookBackends.StartAsync(Service, Ns, 1);
        var api = NewApi(out _);
        await api.CreateAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "operator", NamespaceProperty = Ns },
            Spec = new V1DeploymentSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "operator" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "operator" } },
                    Spec = new V1PodSpec
                    {
                        Containers =
                        [
                            new V1Container
                            {
                                Name = "operator",
                                Image = "operator",
                                Ports = [new V1ContainerPort { Name = "metrics", ContainerPort = 1 }, new V1ContainerPort { Name = "webhook", ContainerPort = backends.Ports[0] }],
                            },
                        ],
                    },
                },
            },
        });
        await api.CreateAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = Service, NamespaceProperty = Ns },
            Spec = new V1ServiceSpec
            {
                Selector = new Dictionary<string, string> { ["app"] = "operator" },
                Ports = [new V1ServicePort { Name = "https", Port = 443, TargetPort = "webhook" }],
            },
        });
        await api.CreateAsync(Configuration(backends.CaPem, "Fail"));

        var pod = await api.CreateAsync(Pod("a"));

        Assert.Equal("0", pod.Metadata.Labels["backend"]);
    }

    [Fact]
    public async Task A_named_targetPort_nothing_declares_fails_the_call_with_a_log_line_naming_the_url_and_the_reason()
    {
        await using var backends = await ServiceWebhookBackends.StartAsync(Service, Ns, 1);
        var api = NewApi(out var log);
        await api.CreateAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = Service, NamespaceProperty = Ns },
            Spec = new V1ServiceSpec
            {
                Selector = new Dictionary<string, string> { ["app"] = "operator" },
                Ports = [new V1ServicePort { Name = "https", Port = 443, TargetPort = "webhook" }],
            },
        });
        await api.CreateAsync(Configuration(backends.CaPem, "Fail"));

        var error = await Assert.ThrowsAsync<ApiException>(() => api.CreateAsync(Pod("a")));

        Assert.Equal(500, error.StatusCode);
        Assert.Contains("targetPort \"webhook\"", error.Message, StringComparison.Ordinal);
        var line = Assert.Single(log.Lines, l => l.Contains("Webhook call failed", StringComparison.Ordinal));
        Assert.Contains($"https://{Service}.{Ns}.svc:443/mutate", line, StringComparison.Ordinal);
        Assert.Contains("targetPort \"webhook\"", line, StringComparison.Ordinal);
        Assert.Contains("rejected", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_connection_under_Ignore_admits_the_pod_and_logs_where_it_dialled()
    {
        await using var backends = await ServiceWebhookBackends.StartAsync(Service, Ns, 1);
        var closedPort = Spotalis.Simulator.Tests.Http.FreePort.Next();
        var api = NewApi(out var log);
        await api.CreateAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = Service, NamespaceProperty = Ns },
            Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Name = "https", Port = 443, TargetPort = closedPort.ToString(System.Globalization.CultureInfo.InvariantCulture) }] },
        });
        await api.CreateAsync(Configuration(backends.CaPem, "Ignore"));

        var pod = await api.CreateAsync(Pod("a"));

        Assert.False(pod.Metadata.Labels.ContainsKey("backend"));
        var line = Assert.Single(log.Lines, l => l.Contains("Webhook call failed", StringComparison.Ordinal));
        Assert.Contains($"127.0.0.1:{closedPort}", line, StringComparison.Ordinal);
        Assert.Contains("admitted unpatched", line, StringComparison.Ordinal);
    }

    private static ClusterApi NewApi(out LinesLogger log)
    {
        log = new LinesLogger();
        var api = new ClusterApi(new ClusterApiOptions { Logger = log });
        api.EnsureNamespace(Ns);
        return api;
    }

    private static V1Service SelectorlessService(string portName) => new()
    {
        Metadata = new V1ObjectMeta { Name = Service, NamespaceProperty = Ns },
        Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Name = portName, Port = 443, TargetPort = "8443" }] },
    };

    private static V1Pod Pod(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns, Labels = new Dictionary<string, string> { ["app"] = "web" } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "nginx" }] },
    };

    private static V1MutatingWebhookConfiguration Configuration(string caPem, string failurePolicy) => new()
    {
        Metadata = new V1ObjectMeta { Name = "routing" },
        Webhooks =
        [
            new V1MutatingWebhook
            {
                Name = "routing.spotalis.io",
                AdmissionReviewVersions = ["v1"],
                SideEffects = "None",
                FailurePolicy = failurePolicy,
                TimeoutSeconds = 10,
                ClientConfig = new Admissionregistrationv1WebhookClientConfig
                {
                    CaBundle = Encoding.UTF8.GetBytes(caPem),
                    Service = new Admissionregistrationv1ServiceReference { Name = Service, NamespaceProperty = Ns, Port = 443, Path = "/mutate" },
                },
                Rules = [new V1RuleWithOperations { Operations = ["CREATE"], ApiGroups = [""], ApiVersions = ["v1"], Resources = ["pods"] }],
                NamespaceSelector = new V1LabelSelector(),
            },
        ],
    };
}
