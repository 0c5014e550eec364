namespace Spotalis.Operator.Cache;

/// <summary>A watch from <paramref name="From"/> (a resourceVersion) that the server ends after <paramref name="TimeoutSeconds"/>.</summary>
internal readonly record struct WatchRequest(string From, int TimeoutSeconds, Action<Exception> OnError, CancellationToken Cancel);
