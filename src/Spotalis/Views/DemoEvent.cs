namespace Spotalis.Views;

/// <summary>A line in the demo's event list: an operator Event or something the demo did (an interruption, an outage).</summary>
/// <param name="Type">Normal or Warning.</param>
public sealed record DemoEvent(TimeSpan At, string Type, string Reason, string Subject, string Message);
