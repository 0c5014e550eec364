namespace Spotalis.Operator.Configuration;

/// <summary>A listen address such as <c>0.0.0.0:8080</c> (port 0 = any free port).</summary>
public sealed record EndpointSettings(string Address)
{
    /// <summary>Folder with <c>tls.crt</c>/<c>tls.key</c> to serve HTTPS from (reloaded when they change); empty = plain HTTP.</summary>
    public string CertDir { get; init; } = "";
}
