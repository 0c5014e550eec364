namespace Spotalis.Benchmarks.Webhook;

/// <summary>What the <c>webhook-serve</c> child announces once both endpoints listen.</summary>
internal sealed record ServerReady(
    string WebhookUri,
    string PlainUri,
    string CaPemPath,
    string SampleReviewPath,
    int ResponseBytes,
    bool ServerGc,
    string GcLatencyMode,
    int ProcessId);
