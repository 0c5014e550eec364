using System.Net.Sockets;

namespace Spotalis.Benchmarks.Webhook;

/// <summary>The load generator's TCP connect, counting every connection the HTTP client opens.</summary>
internal sealed class ConnectionCounter
{
    private long _opened;

    public long Opened => Interlocked.Read(ref _opened);

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            Interlocked.Increment(ref _opened);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
