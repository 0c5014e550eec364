namespace Spotalis.Operator.Webhook.Placement;

/// <summary>
/// Names of the pods matching a label selector in a namespace that the API server lists as live (not terminating,
/// not finished) right now: a consistent read past a watch that has not caught up.
/// </summary>
public delegate Task<IReadOnlySet<string>> LivePodReader(string namespaceName, string labelSelector, CancellationToken cancellationToken);
