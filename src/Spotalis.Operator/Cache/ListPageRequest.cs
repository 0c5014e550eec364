namespace Spotalis.Operator.Cache;

/// <summary>One page of a list call: at most <paramref name="Limit"/> items, from <paramref name="Continue"/> on.</summary>
internal readonly record struct ListPageRequest(int Limit, string? Continue, CancellationToken Cancel);
