using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Spotalis.Benchmarks.Webhook;

/// <summary>The baseline: Kestrel with the same TLS settings, reading the body and answering a fixed body of the same size.</summary>
internal sealed class PlainTlsEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PlainTlsEndpoint(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<PlainTlsEndpoint> StartAsync(X509Certificate2 certificate, byte[] responseBody)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(https =>
                {
                    https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
                    https.ServerCertificate = certificate;
                });
            });
        });
        var app = builder.Build();
        app.MapPost("/echo", async context =>
        {
            var length = (int)(context.Request.ContentLength ?? 0);
            var body = new byte[length];
            await context.Request.Body.ReadExactlyAsync(body, context.RequestAborted);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = responseBody.Length;
            await context.Response.Body.WriteAsync(responseBody, context.RequestAborted);
        });
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new PlainTlsEndpoint(app, new Uri(new Uri(bound), "/echo"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
