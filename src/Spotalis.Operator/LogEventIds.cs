namespace Spotalis.Operator;

/// <summary>
/// The event-id ranges of the operator's log messages (<see cref="Log"/>): each area owns the hundred ids above its
/// base (fifty for certificates, self-managed certificates, webhook server and admission path), so ids never collide
/// and an id says where a line comes from. The operator owns 1000–1999 of the repository's registry
/// (docs/reference/logs.md): the simulator has 2000–2999 and the CLI 3000–3999.
/// </summary>
internal static class LogEventIds
{
    public const int Hosting = 1000;
    public const int Controller = 1100;
    public const int Reconciler = 1200;
    public const int Cache = 1300;
    public const int Leadership = 1400;
    public const int Events = 1500;
    public const int Admission = 1600;
    public const int Certificates = 1700;
    public const int SelfManagedCertificates = 1750;
    public const int WebhookServer = 1800;
    public const int AdmissionPath = 1850;
    public const int LeaderDirectory = 1900;
}
