using Spotalis.Core.Capacity;

namespace Spotalis.Core.Steering;

/// <summary>What the futile-move rule needs to know about one pod that may replace an evicted one.</summary>
/// <param name="Name">Pod name (a StatefulSet replacement keeps its predecessor's name).</param>
/// <param name="Uid">Pod uid (tells a recreated StatefulSet pod from its predecessor).</param>
/// <param name="CreatedAt">Creation time.</param>
/// <param name="Landed">Its capacity type: from its node when scheduled, else from its placement label; null = not known yet.</param>
/// <param name="Placed">It carries the webhook's <c>spotalis.io/capacity-type</c> label.</param>
public sealed record ReplacementFacts(string Name, string Uid, DateTimeOffset CreatedAt, CapacityType? Landed, bool Placed);
