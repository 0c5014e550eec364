using System.Runtime.CompilerServices;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Spotalis.Operator.Cache;
using Spotalis.Operator.Observability;

namespace Spotalis.Operator.Tests.Cache;

public class ResourceInformerTests
{
    private static V1Namespace Ns(string name, string rv, string team = "a") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, ResourceVersion = rv, Labels = new Dictionary<string, string> { ["team"] = team } },
    };

    [Fact]
    public async Task Lists_in_pages_resumes_after_bookmarks_and_relists_after_410_gone()
    {
        var lists = 0;
        var watchedFrom = new List<string>();
        var metrics = new OperatorMetrics();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var informer = new ResourceInformer<V1Namespace, V1NamespaceList, NamespaceSnapshot>(
            "namespaces",
            (limit, next, _) =>
            {
                if (next is null)
                {
                    lists++;
                }

                // First list: two pages. Relist: "b" is gone, "c" appeared.
                var list = lists == 1
                    ? next is null
                        ? new V1NamespaceList { Items = [Ns("a", "1")], Metadata = new V1ListMeta { ContinueProperty = "page2", ResourceVersion = "10" } }
                        : new V1NamespaceList { Items = [Ns("b", "2")], Metadata = new V1ListMeta { ResourceVersion = "10" } }
                    : new V1NamespaceList { Items = [Ns("a", "1"), Ns("c", "30")], Metadata = new V1ListMeta { ResourceVersion = "30" } };
                return Task.FromResult(list);
            },
            (rv, onError, ct) =>
            {
                watchedFrom.Add(rv);
                return watchedFrom.Count switch
                {
                    1 => Events(ct, (WatchEventType.Modified, Ns("a", "11", team: "b")), (WatchEventType.Bookmark, Ns("", "15"))),
                    2 => Fail(onError, ct),
                    _ => Hang(stop, ct),
                };
            },
            Projections.Namespace,
            Projections.SameNamespace,
            NullLogger.Instance,
            metrics);
        var changes = new List<string>();
        informer.Changed += (key, old, now) => changes.Add($"{key}:{(old is null ? "+" : now is null ? "-" : "~")}");

        var run = informer.RunAsync(stop.Token);
        while (!stop.IsCancellationRequested && watchedFrom.Count < 3)
        {
            await Task.Delay(20);
        }

        await stop.CancelAsync();
        await run;

        Assert.Equal(["10", "15", "30"], watchedFrom);
        Assert.Equal(2, lists);
        Assert.True(informer.HasSynced);
        Assert.Equal(["a", "c"], informer.Values.Select(n => n.Name).Order());
        Assert.Equal("a", informer.Get("a")!.Labels["team"]); // the relist is the truth again after the watched change
        Assert.Contains("b:-", changes);
        Assert.Contains("c:+", changes);
        Assert.Equal(2, changes.Count(c => c == "a:~")); // the watched change, then the relist
        Assert.True(metrics.WatchRestarts.WithLabels("namespaces").Value >= 2);
    }

    private static async IAsyncEnumerable<(WatchEventType, V1Namespace)> Events(
        [EnumeratorCancellation] CancellationToken ct, params (WatchEventType, V1Namespace)[] events)
    {
        foreach (var e in events)
        {
            await Task.Yield();
            ct.ThrowIfCancellationRequested();
            yield return e;
        }
    }

    private static async IAsyncEnumerable<(WatchEventType, V1Namespace)> Fail(Action<Exception> onError, [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        onError(new KubernetesException(new V1Status { Code = 410, Reason = "Expired", Message = "too old resource version" }));
        yield return (WatchEventType.Error, Ns("x", "0"));
        ct.ThrowIfCancellationRequested();
    }

    private static async IAsyncEnumerable<(WatchEventType, V1Namespace)> Hang(CancellationTokenSource stop, [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => { }, TaskScheduler.Default);
        if (stop.IsCancellationRequested)
        {
            yield break;
        }
    }
}
