namespace Spotalis.Core.Nodes;

/// <summary>One label selector requirement, Kubernetes semantics: <c>In</c>, <c>NotIn</c>, <c>Exists</c>, <c>DoesNotExist</c>.</summary>
public sealed record LabelSelectorRequirement(string Key, string Operator, IReadOnlyList<string> Values)
{
    public const string In = "In";
    public const string NotIn = "NotIn";
    public const string Exists = "Exists";
    public const string DoesNotExist = "DoesNotExist";

    public static LabelSelectorRequirement KeyIn(string key, params string[] values) => new(key, In, values);

    public static LabelSelectorRequirement KeyNotIn(string key, params string[] values) => new(key, NotIn, values);

    public static LabelSelectorRequirement KeyExists(string key) => new(key, Exists, []);

    public static LabelSelectorRequirement KeyDoesNotExist(string key) => new(key, DoesNotExist, []);

    /// <summary>True when the labels satisfy the requirement. An unknown operator never matches (fail closed).</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var present = labels.TryGetValue(Key, out var value);
        return Operator switch
        {
            In => present && Values.Contains(value!),
            NotIn => !present || !Values.Contains(value!),
            Exists => present,
            DoesNotExist => !present,
            _ => false,
        };
    }

    public override string ToString() => Operator switch
    {
        Exists => Key,
        DoesNotExist => "!" + Key,
        _ => $"{Key} {(Operator == NotIn ? "notin" : Operator == In ? "in" : Operator)} ({string.Join(",", Values)})",
    };
}
