using System.Diagnostics;
using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Spotalis.Benchmarks.Webhook;

/// <summary>
/// What one new TLS connection costs each endpoint: sequential fresh TCP+TLS handshakes (no HTTP), timed by the
/// client, with the server process's CPU and Kestrel's own handshake duration over the same handshakes. This is the
/// price an HTTP/1.1 client pays for every connection it adds when the server falls behind.
/// </summary>
internal static class HandshakeProbe
{
    public const string Header =
        "| endpoint | handshakes | client ms mean | client ms p99 | server CPU ms per handshake | Kestrel handshake ms mean |\n" +
        "| --- | --- | --- | --- | --- | --- |";

    public static async Task<string> RunAsync(ServerProcess server, Uri endpoint, string name, RemoteCertificateValidationCallback validate, int count)
    {
        for (var i = 0; i < 20; i++)
        {
            await HandshakeAsync(endpoint, validate);
        }

        var before = await server.StatsAsync();
        var times = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            times.Add(await HandshakeAsync(endpoint, validate));
        }

        var after = await server.StatsAsync();
        times.Sort();
        var handshakes = Math.Max(1, after.TlsHandshakes - before.TlsHandshakes);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"| {name} | {count} | {times.Average():F2} | {times[(int)Math.Ceiling(0.99 * count) - 1]:F2} | {(after.CpuMs - before.CpuMs) / count:F2} | {(after.TlsHandshakeMs - before.TlsHandshakeMs) / handshakes:F2} |");
    }

    private static async Task<double> HandshakeAsync(Uri endpoint, RemoteCertificateValidationCallback validate)
    {
        var start = Stopwatch.GetTimestamp();
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(endpoint.Host, endpoint.Port);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, validate);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = endpoint.Host,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        });
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}
