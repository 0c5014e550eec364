namespace Spotalis.Deploy.Tests;

/// <summary>Paths of the deployment artefacts, found from the repository root (the folder holding Spotalis.sln).</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Chart => Path.Combine(Root, "deploy", "helm", "spotalis");

    public static string KustomizeBase => Path.Combine(Root, "deploy", "kustomize", "base");

    public static string KustomizeCertManagerComponent => Path.Combine(Root, "deploy", "kustomize", "components", "cert-manager");

    public static string KustomizeExampleOverlay => Path.Combine(Root, "deploy", "kustomize", "overlays", "example");

    public static string Dashboard => Path.Combine(Root, "deploy", "grafana", "spotalis-dashboard.json");

    public static string AlertRules => Path.Combine(Root, "deploy", "prometheus", "spotalis-alerts.yaml");

    public static string Docs => Path.Combine(Root, "docs");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Spotalis.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Spotalis.sln not found above {AppContext.BaseDirectory}");
    }
}
