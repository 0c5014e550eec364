using System.Globalization;

namespace Spotalis.Operator.Configuration;

/// <summary>Parses <c>host:port</c> listen addresses such as <c>0.0.0.0:8080</c>, <c>:8080</c> or <c>[::]:8080</c>.</summary>
public static class ListenAddress
{
    public static bool TryParse(string? value, out string host, out int port)
    {
        host = "";
        port = 0;
        var text = value?.Trim() ?? "";
        var colon = text.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535)
        {
            return false;
        }

        host = text[..colon].Trim('[', ']');
        if (host.Length == 0)
        {
            host = "0.0.0.0";
        }

        return !host.Contains(' ', StringComparison.Ordinal);
    }

    /// <summary>The Kestrel URL for an address, e.g. <c>http://0.0.0.0:8080</c>.</summary>
    public static string ToUrl(string address, string scheme = "http")
    {
        if (!TryParse(address, out var host, out var port))
        {
            throw new FormatException($"'{address}' is not host:port");
        }

        var bracketed = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        return $"{scheme}://{bracketed}:{port.ToString(CultureInfo.InvariantCulture)}";
    }
}
