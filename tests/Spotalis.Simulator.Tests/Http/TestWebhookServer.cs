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
/// A mutating admission webhook over HTTPS with a serving certificate signed by a throw-away CA:
/// <c>/mutate</c> labels pods <c>spotalis.io/capacity-type=spot</c>, <c>/slow</c> answers after 10 s.
/// </summary>
public sealed class TestWebhookServer : IAsyncLifetime
{
    private WebApplication? _app;

    public string CaPem { get; private set; } = string.Empty;

    public Uri BaseAddress { get; private set; } = null!;

    public ConcurrentQueue<string> SeenUids { get; } = new();

    public async Task InitializeAsync()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=test-webhook-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        CaPem = ca.ExportCertificatePem();

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=127.0.0.1", leafKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        leafRequest.CertificateExtensions.Add(names.Build());
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var signed = leafRequest.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-4), DateTimeOffset.UtcNow.AddHours(12), [1, 2, 3, 4]);
        using var withKey = signed.CopyWithPrivateKey(leafKey);
        var serving = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(serving)));
        _app = builder.Build();
        _app.MapPost("/mutate", async context =>
        {
            var uid = await ReadUidAsync(context);
            SeenUids.Enqueue(uid);
            var patch = """[{"op":"add","path":"/metadata/labels/spotalis.io~1capacity-type","value":"spot"}]""";
            await context.Response.WriteAsync(Review(uid, patch));
        });
        _app.MapPost("/slow", async context =>
        {
            var uid = await ReadUidAsync(context);
            await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
            await context.Response.WriteAsync(Review(uid, null));
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri($"https://127.0.0.1:{new Uri(address).Port}/");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token);
            await _app.DisposeAsync();
        }
    }

    private static async Task<string> ReadUidAsync(HttpContext context)
    {
        var review = await JsonNode.ParseAsync(context.Request.Body);
        return review!["request"]!["uid"]!.GetValue<string>();
    }

    private static string Review(string uid, string? patch)
    {
        var response = new JsonObject { ["uid"] = uid, ["allowed"] = true };
        if (patch is not null)
        {
            response["patchType"] = "JSONPatch";
            response["patch"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(patch));
        }

        return new JsonObject { ["apiVersion"] = "admission.k8s.io/v1", ["kind"] = "AdmissionReview", ["response"] = response }.ToJsonString();
    }
}
