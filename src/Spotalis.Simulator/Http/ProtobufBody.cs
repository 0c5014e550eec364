using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Spotalis.Simulator.Api;

namespace Spotalis.Simulator.Http;

/// <summary>
/// Decodes the <c>application/vnd.kubernetes.protobuf</c> request bodies that kubectl's typed clients send
/// (<c>kubectl create deployment|configmap|secret|namespace|serviceaccount|poddisruptionbudget</c>, the evictions of
/// <c>kubectl drain</c>) into the equivalent JSON. Only the messages and fields those commands write are known;
/// any other field is refused with 415 rather than silently dropped.
/// </summary>
internal static class ProtobufBody
{
    private static readonly byte[] Magic = [0x6b, 0x38, 0x73, 0x00];

    /// <summary>Field number -> (JSON name, type, repeated). Types: string, int (a pointer: 0 is kept), int0 (a value: 0 means unset), bool, bytes, time, intstr, quantity, map:T, msg:Name.</summary>
    private static readonly Dictionary<string, Dictionary<int, (string Name, string Type, bool Repeated)>> Messages = Build(new()
    {
        ["ObjectMeta"] = "1 name string|2 generateName string|3 namespace string|5 uid string|6 resourceVersion string|7 generation int0|8 creationTimestamp time|9 deletionTimestamp time|10 deletionGracePeriodSeconds int|11 labels map:string|12 annotations map:string|13 *ownerReferences msg:OwnerReference|14 *finalizers string",
        ["OwnerReference"] = "1 kind string|3 name string|4 uid string|5 apiVersion string|6 controller bool|7 blockOwnerDeletion bool",
        ["LabelSelector"] = "1 matchLabels map:string|2 *matchExpressions msg:LabelSelectorRequirement",
        ["LabelSelectorRequirement"] = "1 key string|2 operator string|3 *values string",
        ["DeleteOptions"] = "1 gracePeriodSeconds int|2 preconditions msg:Preconditions|3 orphanDependents bool|4 propagationPolicy string|5 *dryRun string",
        ["Preconditions"] = "1 uid string|2 resourceVersion string",
        ["Eviction"] = "1 metadata msg:ObjectMeta|2 deleteOptions msg:DeleteOptions",
        ["ConfigMap"] = "1 metadata msg:ObjectMeta|2 data map:string|3 binaryData map:bytes|4 immutable bool",
        ["Secret"] = "1 metadata msg:ObjectMeta|2 data map:bytes|3 type string|4 stringData map:string|5 immutable bool",
        ["Namespace"] = "1 metadata msg:ObjectMeta|2 spec msg:Empty|3 status msg:Empty",
        ["ServiceAccount"] = "1 metadata msg:ObjectMeta|4 automountServiceAccountToken bool",
        ["PodDisruptionBudget"] = "1 metadata msg:ObjectMeta|2 spec msg:PodDisruptionBudgetSpec|3 status msg:Empty",
        ["PodDisruptionBudgetSpec"] = "1 minAvailable intstr|2 selector msg:LabelSelector|3 maxUnavailable intstr|4 unhealthyPodEvictionPolicy string",
        ["Deployment"] = "1 metadata msg:ObjectMeta|2 spec msg:DeploymentSpec|3 status msg:Empty",
        ["DeploymentSpec"] = "1 replicas int|2 selector msg:LabelSelector|3 template msg:PodTemplateSpec|4 strategy msg:DeploymentStrategy|5 minReadySeconds int0|6 revisionHistoryLimit int|7 paused bool|9 progressDeadlineSeconds int",
        ["DeploymentStrategy"] = "1 type string|2 rollingUpdate msg:RollingUpdateDeployment",
        ["RollingUpdateDeployment"] = "1 maxUnavailable intstr|2 maxSurge intstr",
        ["PodTemplateSpec"] = "1 metadata msg:ObjectMeta|2 spec msg:PodSpec",
        ["PodSpec"] = "2 *containers msg:Container|3 restartPolicy string|4 terminationGracePeriodSeconds int|6 dnsPolicy string|7 nodeSelector map:string|8 serviceAccountName string|10 nodeName string|19 schedulerName string",
        ["Container"] = "1 name string|2 image string|3 *command string|4 *args string|5 workingDir string|6 *ports msg:ContainerPort|8 resources msg:ResourceRequirements|13 terminationMessagePath string|14 imagePullPolicy string|20 terminationMessagePolicy string",
        ["ContainerPort"] = "1 name string|2 hostPort int0|3 containerPort int0|4 protocol string|5 hostIP string",
        ["ResourceRequirements"] = "1 limits map:quantity|2 requests map:quantity",
        ["Empty"] = string.Empty,
    });

    public static bool IsProtobuf(string? contentType) =>
        contentType?.StartsWith("application/vnd.kubernetes.protobuf", StringComparison.Ordinal) == true;

    /// <summary>The JSON equivalent of a protobuf body holding a <paramref name="kind"/> object.</summary>
    public static JsonObject Decode(ReadOnlySpan<byte> body, string kind)
    {
        if (body.Length < Magic.Length || !body[..Magic.Length].SequenceEqual(Magic))
        {
            throw Unsupported("the protobuf body does not start with the Kubernetes envelope");
        }

        // runtime.Unknown: typeMeta = 1 {apiVersion = 1, kind = 2}, raw = 2, contentEncoding = 3, contentType = 4.
        var reader = new Reader(body[Magic.Length..].ToArray());
        string? apiVersion = null;
        string? envelopeKind = null;
        byte[]? raw = null;
        while (reader.More)
        {
            var (field, wire) = reader.Tag();
            switch (field)
            {
                case 1:
                    var typeMeta = new Reader(reader.Bytes());
                    while (typeMeta.More)
                    {
                        var (f, w) = typeMeta.Tag();
                        if (f == 1)
                        {
                            apiVersion = typeMeta.String();
                        }
                        else if (f == 2)
                        {
                            envelopeKind = typeMeta.String();
                        }
                        else
                        {
                            typeMeta.Skip(w);
                        }
                    }

                    break;
                case 2:
                    raw = reader.Bytes();
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        var messageKind = envelopeKind ?? kind;
        if (!Messages.ContainsKey(messageKind) || raw is null)
        {
            throw Unsupported($"protobuf bodies of kind {messageKind} are not understood; send JSON instead");
        }

        var result = Message(new Reader(raw), messageKind);
        result["apiVersion"] = apiVersion;
        result["kind"] = messageKind;
        return result;
    }

    private static JsonObject Message(Reader reader, string type)
    {
        var fields = Messages[type];
        var result = new JsonObject();
        while (reader.More)
        {
            var (number, wire) = reader.Tag();
            if (!fields.TryGetValue(number, out var field))
            {
                // Go's protobuf encoder writes every non-pointer field, so unknown fields at their zero value are expected.
                if (!reader.SkipZero(wire))
                {
                    throw Unsupported($"field {number} of {type} in a protobuf body is not understood by the simulator; send JSON (e.g. kubectl apply -f) instead");
                }

                continue;
            }

            var value = Value(reader, field.Type, wire, out var mapEntry);
            if (mapEntry is { } entry)
            {
                var map = result[field.Name] as JsonObject ?? new JsonObject();
                map[entry.Key] = entry.Value;
                result[field.Name] = map;
            }
            else if (field.Repeated)
            {
                var list = result[field.Name] as JsonArray ?? [];
                list.Add(value);
                result[field.Name] = list;
            }
            else if (!IsUnset(value, field.Type))
            {
                result[field.Name] = value;
            }
        }

        return result;
    }

    private static JsonNode? Value(Reader reader, string type, int wire, out (string Key, JsonNode? Value)? mapEntry)
    {
        mapEntry = null;
        switch (type)
        {
            case "string":
                return reader.String();
            case "int" or "int0":
                return wire == 0 ? JsonValue.Create(reader.Varint()) : throw Unsupported("unexpected wire type for an integer");
            case "bool":
                return reader.Varint() != 0;
            case "bytes":
                return Convert.ToBase64String(reader.Bytes());
            case "time":
                var time = new Reader(reader.Bytes());
                long seconds = 0;
                while (time.More)
                {
                    var (f, w) = time.Tag();
                    if (f == 1)
                    {
                        seconds = time.Varint();
                    }
                    else
                    {
                        time.Skip(w);
                    }
                }

                return seconds == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            case "quantity":
                var quantity = new Reader(reader.Bytes());
                string? text = null;
                while (quantity.More)
                {
                    var (f, w) = quantity.Tag();
                    if (f == 1)
                    {
                        text = quantity.String();
                    }
                    else
                    {
                        quantity.Skip(w);
                    }
                }

                return text;
            case "intstr":
                var intstr = new Reader(reader.Bytes());
                long kind = 0;
                long number = 0;
                string? str = null;
                while (intstr.More)
                {
                    var (f, w) = intstr.Tag();
                    switch (f)
                    {
                        case 1:
                            kind = intstr.Varint();
                            break;
                        case 2:
                            number = intstr.Varint();
                            break;
                        case 3:
                            str = intstr.String();
                            break;
                        default:
                            intstr.Skip(w);
                            break;
                    }
                }

                return kind == 1 ? str : JsonValue.Create(number);
            default:
                if (type.StartsWith("map:", StringComparison.Ordinal))
                {
                    var entry = new Reader(reader.Bytes());
                    string key = string.Empty;
                    JsonNode? value = null;
                    while (entry.More)
                    {
                        var (f, w) = entry.Tag();
                        if (f == 1)
                        {
                            key = entry.String();
                        }
                        else if (f == 2)
                        {
                            value = Value(entry, type[4..], w, out _);
                        }
                        else
                        {
                            entry.Skip(w);
                        }
                    }

                    mapEntry = (key, value);
                    return null;
                }

                if (type.StartsWith("msg:", StringComparison.Ordinal))
                {
                    return Message(new Reader(reader.Bytes()), type[4..]);
                }

                throw new InvalidOperationException($"unknown schema type {type}");
        }
    }

    /// <summary>Go writes unset value fields as "", false or 0; their JSON form omits them.</summary>
    private static bool IsUnset(JsonNode? value, string type) => value switch
    {
        null => true,
        JsonValue v when v.TryGetValue<string>(out var text) => text.Length == 0,
        JsonValue v when v.TryGetValue<bool>(out var flag) => !flag,
        JsonValue v when type == "int0" && v.TryGetValue<long>(out var number) => number == 0,
        _ => false,
    };

    private static ApiException Unsupported(string message) => new(415, "UnsupportedMediaType", message);

    private static Dictionary<string, Dictionary<int, (string, string, bool)>> Build(Dictionary<string, string> text) =>
        text.ToDictionary(
            kv => kv.Key,
            kv => kv.Value.Split('|', StringSplitOptions.RemoveEmptyEntries).Select(f => f.Split(' ')).ToDictionary(
                p => int.Parse(p[0], CultureInfo.InvariantCulture),
                p => (p[1].TrimStart('*'), p[2], p[1].StartsWith('*'))));

    /// <summary>A protobuf wire-format reader.</summary>
    private sealed class Reader(byte[] data)
    {
        private int _position;

        public bool More => _position < data.Length;

        public (int Field, int Wire) Tag()
        {
            var tag = Varint();
            return ((int)(tag >> 3), (int)(tag & 7));
        }

        public long Varint()
        {
            ulong result = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = Next();
                result |= (ulong)(b & 0x7f) << shift;
                if ((b & 0x80) == 0)
                {
                    return (long)result;
                }
            }

            throw Unsupported("malformed protobuf varint");
        }

        public byte[] Bytes()
        {
            var length = (int)Varint();
            if (length < 0 || _position + length > data.Length)
            {
                throw Unsupported("truncated protobuf body");
            }

            var bytes = data.AsSpan(_position, length).ToArray();
            _position += length;
            return bytes;
        }

        public string String() => Encoding.UTF8.GetString(Bytes());

        /// <summary>Skips a field and tells whether it held a zero value (0, empty, or a message of zero values).</summary>
        public bool SkipZero(int wire)
        {
            switch (wire)
            {
                case 0:
                    return Varint() == 0;
                case 2:
                    return IsZeroMessage(Bytes());
                default:
                    Skip(wire);
                    return false;
            }
        }

        private static bool IsZeroMessage(byte[] bytes)
        {
            var nested = new Reader(bytes);
            try
            {
                while (nested.More)
                {
                    var (field, wire) = nested.Tag();
                    if (field == 0 || !nested.SkipZero(wire))
                    {
                        return false;
                    }
                }

                return true;
            }
            catch (ApiException)
            {
                return false;
            }
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0:
                    Varint();
                    break;
                case 1:
                    _position += 8;
                    break;
                case 2:
                    Bytes();
                    break;
                case 5:
                    _position += 4;
                    break;
                default:
                    throw Unsupported($"unsupported protobuf wire type {wire}");
            }
        }

        private byte Next() => _position < data.Length ? data[_position++] : throw Unsupported("truncated protobuf body");
    }
}
