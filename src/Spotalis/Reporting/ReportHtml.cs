using System.Globalization;
using System.Net;
using System.Text;
using Spotalis.Simulation;

namespace Spotalis.Reporting;

/// <summary>Pieces both report pages share: formatting, escaping and the "reproduce this run" block.</summary>
internal static class ReportHtml
{
    public static void AppendReproduce(StringBuilder html, ReproduceInfo? reproduce, int seed, VersionInfo versions, string what, string file)
    {
        html.Append(CultureInfo.InvariantCulture, $"<section id=\"reproduce\"><h2>Reproduce this {E(what)}</h2>");
        if (reproduce is null)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<p>Seed {seed}, {E(versions.Spotalis)} (commit {E(versions.Commit)}). This summary was not made from a scenario file, so there is no command to repeat it.</p></section>");
            return;
        }

        html.Append(CultureInfo.InvariantCulture, $"<p>Run from the folder the scenario path is relative to; the same seed, scenario and version give the same {E(file)}.</p>");
        html.Append(CultureInfo.InvariantCulture, $"<pre class=\"command\"><code>{E(reproduce.Command)}</code></pre>");
        html.Append("<dl>");
        Term(html, "seed", reproduce.Seed.ToString(CultureInfo.InvariantCulture));
        Term(html, "scenario file", reproduce.ScenarioFile);
        Term(html, "scenario SHA-256", reproduce.ScenarioSha256);
        Term(html, "version", $"{versions.Spotalis} (commit {versions.Commit}, {versions.Runtime})");
        html.Append("</dl>");
        html.Append(CultureInfo.InvariantCulture,
            $"<details><summary>Inputs: the scenario file as it was run ({reproduce.ScenarioYaml.Split('\n').Length} lines)</summary><pre class=\"scenario\">{E(reproduce.ScenarioYaml)}</pre></details>");
        html.Append("</section>");
    }

    private static void Term(StringBuilder html, string term, string value) =>
        html.Append(CultureInfo.InvariantCulture, $"<dt>{E(term)}</dt><dd>{E(value)}</dd>");

    public static string VerdictText(Verdict verdict) => verdict switch
    {
        Verdict.Validated => "validated",
        Verdict.Invalidated => "invalidated",
        _ => "insufficient data",
    };

    public static string OpText(string op) => op switch
    {
        "lt" => "<",
        "lte" => "<=",
        "gt" => ">",
        _ => ">=",
    };

    public static string Money(double value) => "$" + value.ToString("0.00", CultureInfo.InvariantCulture);

    public static string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Percent(double? value) => value is { } v ? $"{N(v)} %" : "n/a";

    public static string Css(string value) => value.ToLowerInvariant() switch
    {
        "insufficientdata" => "insufficient",
        var v => v,
    };

    public static string E(string text) => WebUtility.HtmlEncode(text);
}
