using System.Text.Json.Nodes;
using Spotalis.Simulator.Api;
using Spotalis.Simulator.Http;

namespace Spotalis.Simulator.Tests.Http;

public sealed class PatchTests
{
    private const string Pod = """
        {"metadata":{"name":"p","labels":{"a":"1","b":"2"},"finalizers":["x"]},
         "spec":{"containers":[{"name":"app","image":"v1","env":[{"name":"A","value":"1"}]},{"name":"side","image":"s1"}],
                 "tolerations":[{"key":"t1","operator":"Exists"}],"nodeSelector":{"zone":"a"}}}
        """;

    [Fact]
    public void Strategic_merge_merges_containers_by_name_and_replaces_tolerations()
    {
        var result = StrategicMergePatch.Apply(JsonNode.Parse(Pod)!, JsonNode.Parse("""
            {"metadata":{"labels":{"b":null,"c":"3"},"finalizers":["y"]},
             "spec":{"containers":[{"name":"app","image":"v2"},{"name":"new","image":"n1"}],
                     "tolerations":[{"key":"t2","operator":"Exists"}],"nodeSelector":{"capacity":"spot"}}}
            """)!);

        Assert.Equal("""{"a":"1","c":"3"}""", result["metadata"]!["labels"]!.ToJsonString());
        Assert.Equal("""["x","y"]""", result["metadata"]!["finalizers"]!.ToJsonString());
        var containers = result["spec"]!["containers"]!.AsArray();
        Assert.Equal(["app", "side", "new"], containers.Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal("v2", containers[0]!["image"]!.GetValue<string>());
        Assert.Equal("A", containers[0]!["env"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("""[{"key":"t2","operator":"Exists"}]""", result["spec"]!["tolerations"]!.ToJsonString());
        Assert.Equal("""{"zone":"a","capacity":"spot"}""", result["spec"]!["nodeSelector"]!.ToJsonString());
    }

    [Fact]
    public void Strategic_merge_directives_delete_replace_and_reorder()
    {
        var result = StrategicMergePatch.Apply(JsonNode.Parse(Pod)!, JsonNode.Parse("""
            {"spec":{"$setElementOrder/containers":[{"name":"side"},{"name":"app"}],
                     "containers":[{"name":"app","$patch":"delete"}],
                     "nodeSelector":{"$patch":"replace","only":"this"}}}
            """)!);

        Assert.Equal(["side"], result["spec"]!["containers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal("""{"only":"this"}""", result["spec"]!["nodeSelector"]!.ToJsonString());
    }

    [Fact]
    public void Json_patch_follows_rfc6902_including_escapes_and_test()
    {
        var result = JsonPatch.Apply(JsonNode.Parse(Pod)!, JsonNode.Parse("""
            [{"op":"add","path":"/metadata/labels/spotalis.io~1capacity-type","value":"spot"},
             {"op":"remove","path":"/spec/containers/1"},
             {"op":"add","path":"/spec/tolerations/-","value":{"key":"t2"}},
             {"op":"move","from":"/metadata/labels/a","path":"/metadata/labels/moved"},
             {"op":"test","path":"/metadata/name","value":"p"}]
            """)!.AsArray());

        Assert.Equal("spot", result["metadata"]!["labels"]!["spotalis.io/capacity-type"]!.GetValue<string>());
        Assert.Single(result["spec"]!["containers"]!.AsArray());
        Assert.Equal(2, result["spec"]!["tolerations"]!.AsArray().Count);
        Assert.Equal("1", result["metadata"]!["labels"]!["moved"]!.GetValue<string>());

        var failed = Assert.Throws<ApiException>(() => JsonPatch.Apply(JsonNode.Parse(Pod)!, JsonNode.Parse("""[{"op":"test","path":"/metadata/name","value":"q"}]""")!.AsArray()));
        Assert.Equal(422, failed.StatusCode);
    }

    [Fact]
    public void Merge_patch_deletes_nulls_and_replaces_lists()
    {
        var result = JsonMergePatch.Apply(JsonNode.Parse(Pod), JsonNode.Parse("""{"metadata":{"labels":{"a":null}},"spec":{"tolerations":[]}}"""))!;

        Assert.Equal("""{"b":"2"}""", result["metadata"]!["labels"]!.ToJsonString());
        Assert.Empty(result["spec"]!["tolerations"]!.AsArray());
    }
}
