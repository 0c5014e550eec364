using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Spotalis.Simulator.Tests.Http;

/// <summary>
/// Several HTTPS webhook processes stand-ins on loopback, each on its own port, all serving a certificate for
/// <c>{service}.{namespace}.svc</c> from one CA: <c>/mutate</c> labels the pod <c>backend=&lt;index&gt;</c>, so a test
/// sees which one the simulated apiserver dialled.
/// </summary>
internal sealed class ServiceWebhookBackends : IAsyncDisposable
{
    private readonly List<WebApplication> _apps = [];

    private ServiceWebhookBackends(string caPem) => CaPem = caPem;

    public string CaPem { get; }

    public List<int> Ports { get; } = [];

    public ConcurrentDictionary<int, int> CallsByBackend { get; } = new();

    public static async Task<ServiceWebhookBackends> StartAsync(string service, string ns, int count)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=service-backends-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest($"CN={service}.{ns}.svc", leafKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName($"{service}.{ns}.svc");
        leafRequest.CertificateExtensions.Add(names.Build());
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var signed = leafRequest.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-4), DateTimeOffset.UtcNow.AddHours(12), [5, 6, 7, 8]);
        using var withKey = signed.CopyWithPrivateKey(leafKey);
        var serving = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);

        var backends = new ServiceWebhookBackends(ca.ExportCertificatePem());
        for (var index = 0; index < count; index++)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(serving)));
            var app = builder.Build();
            var backend = index;
            app.MapPost("/mutate", async context =>
            {
                var review = await JsonNode.ParseAsync(context.Request.Body);
                var uid = review!["request"]!["uid"]!.GetValue<string>();
                backends.CallsByBackend.AddOrUpdate(backend, 1, (_, n) => n + 1);
                var patch = $$"""[{"op":"add","path":"/metadata/labels/backend","value":"{{backend}}"}]""";
                var response = new JsonObject
                {
                    ["uid"] = uid,
                    ["allowed"] = true,
                    ["patchType"] = "JSONPatch",
                    ["patch"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(patch)),
                };
                await context.Response.WriteAsync(new JsonObject { ["apiVersion"] = "admission.k8s.io/v1", ["kind"] = "AdmissionReview", ["response"] = response }.ToJsonString());
            });
            await app.StartAsync();
            backends._apps.Add(app);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            backends.Ports.Add(new Uri(address).Port);
        }

        return backends;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await app.StopAsync(stop.Token);
            await app.DisposeAsync();
        }
    }
}
