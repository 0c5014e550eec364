namespace Spotalis.Simulator.Faults;

/// <summary>How a mutating admission webhook is unreachable for the simulated apiserver.</summary>
public enum WebhookOutage
{
    /// <summary>Webhooks are called normally.</summary>
    None,

    /// <summary>Every call fails at once, as a connection to a dead endpoint is refused.</summary>
    ConnectionRefused,

    /// <summary>Every call hangs until the webhook's timeoutSeconds expire.</summary>
    Timeout,
}
