namespace Spotalis.Simulator.Faults;

/// <summary>One recorded response body and when it was served.</summary>
internal sealed record RecordedRead(DateTimeOffset At, string ContentType, byte[] Body);
