namespace Spotalis.Simulator.Api;

/// <summary>A Service that cannot be reached, and why.</summary>
internal sealed class ServiceUnreachableException(string message) : Exception(message);
