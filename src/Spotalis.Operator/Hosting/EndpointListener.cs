using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Spotalis.Operator.Hosting;

/// <summary>
/// One listening socket of the operator's single Kestrel server and the routes that answer on it, and only on it:
/// the webhook's HTTPS port, the metrics port, the health port (metrics and health share one listener when they
/// share an address). Each accepted connection is tagged with its listener, so <see cref="EndpointPipeline"/> answers
/// a request only from the routes of the port it came in on (<c>/mutate-v1-pod</c> is a 404 on the metrics port).
/// </summary>
public sealed class EndpointListener
{
    /// <summary>The key of the connection item that names the connection's listener.</summary>
    internal static readonly object ConnectionItemKey = new();

    private readonly string _host;
    private readonly int _port;
    private readonly Action<ListenOptions>? _configure;
    private readonly Action<Uri>? _onListening;
    private ListenOptions? _listen;

    /// <param name="name">What the port serves, for logs (e.g. <c>webhook</c>).</param>
    /// <param name="host">An IP address, <c>localhost</c>, or a host name (bound on every address, as Kestrel does for URLs).</param>
    /// <param name="port">The port (0: any free port, e.g. in tests; see <see cref="Address"/>).</param>
    /// <param name="tls">Whether <paramref name="configure"/> adds TLS (for <see cref="Address"/>'s scheme).</param>
    /// <param name="configure">Per-listener Kestrel settings, e.g. HTTPS with a renewable certificate.</param>
    /// <param name="onListening">Called with the bound address once the server listens.</param>
    public EndpointListener(string name, string host, int port, bool tls, IReadOnlyList<EndpointRoute> routes,
        Action<ListenOptions>? configure = null, Action<Uri>? onListening = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentNullException.ThrowIfNull(routes);
        Name = name;
        _host = host;
        _port = port;
        Tls = tls;
        Routes = routes;
        _configure = configure;
        _onListening = onListening;
    }

    public string Name { get; }

    public bool Tls { get; }

    public IReadOnlyList<EndpointRoute> Routes { get; }

    /// <summary>
    /// The bound address as a local client reaches it (a wildcard host becomes 127.0.0.1), e.g.
    /// <c>https://127.0.0.1:9443</c>; null until the server listens.
    /// </summary>
    public Uri? Address
    {
        get
        {
            var port = (_listen?.EndPoint as IPEndPoint)?.Port ?? (_listen is null ? 0 : _port);
            if (port == 0)
            {
                return null;
            }

            var host = _listen?.EndPoint is IPEndPoint { Address: var ip } && !ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any)
                ? ip.ToString()
                : _host == "localhost" ? "localhost" : "127.0.0.1";
            if (host.Contains(':', StringComparison.Ordinal))
            {
                host = $"[{host}]";
            }

            return new Uri($"{(Tls ? "https" : "http")}://{host}:{port.ToString(CultureInfo.InvariantCulture)}/");
        }
    }

    /// <summary>Adds this listener's socket to the server.</summary>
    public void Bind(KestrelServerOptions kestrel)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        if (IPAddress.TryParse(_host, out var address))
        {
            kestrel.Listen(address, _port, Configure);
        }
        else if (string.Equals(_host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(_port, Configure);
        }
        else
        {
            kestrel.ListenAnyIP(_port, Configure);
        }
    }

    /// <summary>Tells the owner where the listener is bound (called once the server listens).</summary>
    internal void NotifyListening()
    {
        if (_onListening is not null && Address is { } bound)
        {
            _onListening(bound);
        }
    }

    /// <summary>The route for a path on this listener (null: not served here).</summary>
    internal EndpointRoute? Find(PathString path, string method, out bool pathKnown)
    {
        pathKnown = false;
        foreach (var route in Routes)
        {
            if (!Matches(route, path))
            {
                continue;
            }

            pathKnown = true;
            if (string.Equals(route.Method, method, StringComparison.OrdinalIgnoreCase))
            {
                return route;
            }
        }

        return null;
    }

    /// <summary>The methods served for a path, for a 405's <c>Allow</c> header.</summary>
    internal string AllowedMethods(PathString path) => string.Join(", ", Routes.Where(r => Matches(r, path)).Select(r => r.Method));

    public override string ToString() => $"{Name} {Address?.ToString() ?? $"{_host}:{_port.ToString(CultureInfo.InvariantCulture)}"}";

    private static bool Matches(EndpointRoute route, PathString path)
    {
        var value = path.Value is { Length: > 1 } p && p[^1] == '/' ? p[..^1] : path.Value ?? "/";
        return string.Equals(route.Path, value, StringComparison.OrdinalIgnoreCase);
    }

    private void Configure(ListenOptions listen)
    {
        listen.Use(next => connection =>
        {
            connection.Items[ConnectionItemKey] = this;
            return next(connection);
        });
        _configure?.Invoke(listen);
        _listen = listen;
    }
}
