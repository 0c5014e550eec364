namespace Spotalis.Migration;

/// <summary>An object <c>--apply</c> changes: <c>Kind</c> is Deployment, StatefulSet or MutatingWebhookConfiguration.</summary>
public sealed record MigrationTarget(string Kind, string? Namespace, string Name);
