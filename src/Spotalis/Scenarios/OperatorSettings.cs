using System.Globalization;
using Spotalis.Core.Timing;

namespace Spotalis.Scenarios;

/// <summary>
/// Operator configuration for a simulated run, as flattened configuration keys ("controllers.fallbackAfter")
/// and their text values. Only keys that mean something in a simulation are accepted (see <see cref="Known"/>).
/// </summary>
public sealed record OperatorSettings(IReadOnlyDictionary<string, string> Values)
{
    public static OperatorSettings Defaults { get; } = new(new Dictionary<string, string>());

    /// <summary>Accepted keys with the kind of value each takes.</summary>
    public static IReadOnlyDictionary<string, SettingKind> Known { get; } = new Dictionary<string, SettingKind>
    {
        ["readOnly"] = SettingKind.Boolean,
        ["nodeClassifier.preset"] = SettingKind.Text,
        ["controllers.reconcileInterval"] = SettingKind.Duration,
        ["controllers.maxConcurrentReconciles"] = SettingKind.Integer,
        ["controllers.cooldown"] = SettingKind.Duration,
        ["controllers.fallbackAfter"] = SettingKind.Duration,
        ["controllers.reclaimAfter"] = SettingKind.Duration,
        ["controllers.evictionsPerSecond"] = SettingKind.Number,
        ["controllers.evictionBurst"] = SettingKind.Integer,
        ["disruptionWindow.schedule"] = SettingKind.Text,
        ["disruptionWindow.duration"] = SettingKind.Duration,
        ["disruptionWindow.timeZone"] = SettingKind.Text,
    };

    public TimeSpan GetDuration(string key, TimeSpan fallback) =>
        Values.TryGetValue(key, out var text) && GoDuration.TryParse(text, out var value) ? value : fallback;

    public int GetInteger(string key, int fallback) =>
        Values.TryGetValue(key, out var text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    public double GetNumber(string key, double fallback) =>
        Values.TryGetValue(key, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    public bool GetBoolean(string key, bool fallback) =>
        Values.TryGetValue(key, out var text) && bool.TryParse(text, out var value) ? value : fallback;

    public string GetText(string key, string fallback) => Values.TryGetValue(key, out var text) ? text : fallback;
}
