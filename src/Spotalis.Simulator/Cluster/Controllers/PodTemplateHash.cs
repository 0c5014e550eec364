using System.Globalization;
using System.Text;
using k8s;
using k8s.Models;

namespace Spotalis.Simulator.Cluster.Controllers;

/// <summary>
/// The <c>pod-template-hash</c> label value: FNV-1a (32 bit) of the template, printed in decimal and mapped onto
/// the vowel-free alphabet upstream uses for generated names (so values look like real ones, e.g. "7c5ddbdf54").
/// </summary>
internal static class PodTemplateHash
{
    public const string LabelKey = "pod-template-hash";
    private const string SafeAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Compute(V1PodTemplateSpec? template)
    {
        var json = template is null ? "null" : KubernetesJson.Serialize(template);
        return Encode(Fnv1a(Encoding.UTF8.GetBytes(json)));
    }

    public static string Encode(uint hash)
    {
        var digits = hash.ToString(CultureInfo.InvariantCulture);
        var builder = new StringBuilder(digits.Length);
        foreach (var digit in digits)
        {
            builder.Append(SafeAlphabet[digit % SafeAlphabet.Length]);
        }

        return builder.ToString();
    }

    private static uint Fnv1a(ReadOnlySpan<byte> data)
    {
        var hash = 2166136261u;
        foreach (var b in data)
        {
            hash ^= b;
            hash *= 16777619u;
        }

        return hash;
    }
}
