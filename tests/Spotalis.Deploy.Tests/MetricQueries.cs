using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Spotalis.Deploy.Tests;

/// <summary>Finds the Spotalis series (<c>spotalis_*</c>) named anywhere in a dashboard or rule file.</summary>
internal static partial class MetricQueries
{
    public static SortedSet<string> SeriesIn(string text) =>
        new(SeriesName().Matches(text).Select(m => m.Value), StringComparer.Ordinal);

    /// <summary>Every string value of a JSON document (queries hide in targets, templating and annotations).</summary>
    public static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => [v.GetValue<string>()],
        _ => [],
    };

    [GeneratedRegex(@"\bspotalis_[a-z0-9_]+\b")]
    private static partial Regex SeriesName();
}
