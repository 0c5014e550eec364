namespace Spotalis.Simulator.Api;

/// <summary>One entry of <c>Status.details.causes</c>.</summary>
public sealed record ApiStatusCause(string Reason, string Message, string? Field = null);
