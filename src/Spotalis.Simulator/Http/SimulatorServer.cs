using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spotalis.Simulator.Api;

namespace Spotalis.Simulator.Http;

/// <summary>
/// The simulated cluster's HTTP API server (Kestrel on 127.0.0.1), speaking the Kubernetes REST protocol over a
/// <see cref="ClusterApi"/> so that kubectl and KubernetesClient can use it as a real cluster.
/// </summary>
/// <example>
/// <code>
/// await using var server = await SimulatorServer.StartAsync(new SimulatorServerOptions { Port = 0 });
/// server.WriteKubeconfig("/tmp/sim.kubeconfig");   // kubectl --kubeconfig /tmp/sim.kubeconfig get pods
/// IClusterApi api = server.Api;                      // the same cluster, in process
/// </code>
/// </example>
public sealed class SimulatorServer : IAsyncDisposable
{
    /// <summary>
    /// Written into kubeconfigs of servers without a bearer token: KubernetesClient refuses a user without credentials,
    /// and such a server accepts any token.
    /// </summary>
    public const string AnonymousToken = "spotalis-simulator-anonymous";

    private readonly WebApplication _app;
    private readonly X509Certificate2? _certificate;
    private readonly string? _bearerToken;

    private SimulatorServer(WebApplication app, ClusterApi api, Uri baseAddress, X509Certificate2? certificate, string? bearerToken)
    {
        _app = app;
        Api = api;
        BaseAddress = baseAddress;
        _certificate = certificate;
        _bearerToken = bearerToken;
    }

    /// <summary>The cluster served, for in-process use (controllers, tests, what-if simulations).</summary>
    public ClusterApi Api { get; }

    /// <summary>Where the server listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The PEM of the serving certificate (its own CA) when TLS is on, else null.</summary>
    public string? CertificateAuthorityPem => _certificate?.ExportCertificatePem();

    /// <summary>Starts listening; the returned server is ready for requests.</summary>
    public static async Task<SimulatorServer> StartAsync(SimulatorServerOptions? options = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        options ??= new SimulatorServerOptions();
        var api = options.Api ?? new ClusterApi(new ClusterApiOptions
        {
            Logger = loggerFactory?.CreateLogger<ClusterApi>(),
            BeforeWebhookCall = options.Faults is { } injector ? injector.BeforeWebhookCallAsync : null,
        });
        var certificate = options.UseTls ? SelfSignedCertificate.Create() : null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, PassiveHostLifetime>();
        if (loggerFactory is not null)
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
            kestrel.Listen(IPAddress.Loopback, options.Port, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        });
        var app = builder.Build();
        var handler = new KubernetesRequestHandler(api, options.BearerToken, loggerFactory?.CreateLogger<SimulatorServer>());
        if (options.Faults is { } faults)
        {
            app.Use(faults.InvokeAsync);
        }

        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        var baseAddress = new Uri($"{(certificate is null ? "http" : "https")}://127.0.0.1:{port}/");
        return new SimulatorServer(app, api, baseAddress, certificate, options.BearerToken);
    }

    /// <summary>
    /// Writes a kubeconfig (cluster, user and context all named <paramref name="contextName"/>) that kubectl and
    /// KubernetesClient accept: the server address, the CA when TLS is on, and the bearer token when one is required.
    /// </summary>
    public void WriteKubeconfig(string path, string contextName = "spotalis-sim", string defaultNamespace = "default")
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        File.WriteAllText(path, KubeconfigYaml(contextName, defaultNamespace));
    }

    /// <summary>The kubeconfig text <see cref="WriteKubeconfig"/> writes.</summary>
    public string KubeconfigYaml(string contextName = "spotalis-sim", string defaultNamespace = "default")
    {
        var server = BaseAddress.ToString().TrimEnd('/');
        var yaml = new StringBuilder()
            .AppendLine("apiVersion: v1")
            .AppendLine("kind: Config")
            .AppendLine("clusters:")
            .AppendLine("- name: " + contextName)
            .AppendLine("  cluster:")
            .AppendLine("    server: " + server);
        if (CertificateAuthorityPem is { } ca)
        {
            yaml.AppendLine("    certificate-authority-data: " + Convert.ToBase64String(Encoding.ASCII.GetBytes(ca)));
        }

        yaml.AppendLine("users:")
            .AppendLine("- name: " + contextName)
            .AppendLine("  user:")
            .AppendLine("    token: " + (_bearerToken ?? AnonymousToken))
            .AppendLine("contexts:")
            .AppendLine("- name: " + contextName)
            .AppendLine("  context:")
            .AppendLine("    cluster: " + contextName)
            .AppendLine("    user: " + contextName)
            .AppendLine("    namespace: " + defaultNamespace)
            .AppendLine("current-context: " + contextName)
            .AppendLine("preferences: {}");
        return yaml.ToString();
    }

    /// <summary>Stops listening; open watches end.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default) =>
        await _app.StopAsync(cancellationToken).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await _app.StopAsync(stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Watches still open after the grace period are cut.
            }
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        _certificate?.Dispose();
    }
}
