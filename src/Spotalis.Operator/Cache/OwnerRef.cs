namespace Spotalis.Operator.Cache;

/// <summary>An owner reference as the cache keeps it.</summary>
public sealed record OwnerRef(string Kind, string Name, string Uid, bool Controller);
