using System.Text.RegularExpressions;

namespace Spotalis.Operator.Configuration;

/// <summary>
/// Recognises the variables Kubernetes injects for every Service in the pod's namespace (service links): a Service
/// named <c>spotalis-webhook</c> yields <c>SPOTALIS_WEBHOOK_SERVICE_HOST</c>, <c>SPOTALIS_WEBHOOK_PORT=tcp://…</c> and
/// more. They are not settings, so they neither configure anything nor count as unknown variables.
/// </summary>
public static partial class ServiceLink
{
    public static bool IsServiceLink(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ServiceVariable().IsMatch(name) || (PortVariable().IsMatch(name) && IsServiceLinkValue(value)) ||
               PortDetailVariable().IsMatch(name);
    }

    /// <summary>A <c>tcp://10.0.0.1:443</c> style value (never a valid setting).</summary>
    public static bool IsServiceLinkValue(string value) =>
        value is not null && (value.StartsWith("tcp://", StringComparison.Ordinal) || value.StartsWith("udp://", StringComparison.Ordinal) ||
                              value.StartsWith("sctp://", StringComparison.Ordinal));

    [GeneratedRegex("^[A-Z0-9_]+_SERVICE_(HOST|PORT)(_[A-Z0-9_]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex ServiceVariable();

    [GeneratedRegex("^[A-Z0-9_]+_PORT$", RegexOptions.CultureInvariant)]
    private static partial Regex PortVariable();

    [GeneratedRegex("^[A-Z0-9_]+_PORT_[0-9]+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?$", RegexOptions.CultureInvariant)]
    private static partial Regex PortDetailVariable();
}
