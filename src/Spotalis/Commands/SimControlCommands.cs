using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Spotalis.Cluster;

namespace Spotalis.Commands;

/// <summary>
/// <c>spotalis sim interrupt|outage|limit|pools</c>: drive the cloud of a running <c>spotalis sim serve</c> from outside,
/// through the same objects kubectl sees (the <c>sim.spotalis.io/interrupt</c> Node annotation and SimulatedPool objects).
/// </summary>
internal static class SimControlCommands
{
    private const string Group = "sim.spotalis.io";
    private const string Version = "v1";
    private const string Plural = "simulatedpools";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static IEnumerable<Command> Create()
    {
        yield return Interrupt();
        yield return Outage();
        yield return Limit();
        yield return Pools();
    }

    private static Command Interrupt()
    {
        var kubeconfig = StatusCommand.KubeconfigOption();
        var nodes = new Argument<string[]>("NODE") { Description = "The spot node(s) to interrupt.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("interrupt", "Send a spot interruption notice to nodes of a running sim serve: the provider's taint now, eviction and removal when the notice ends.")
        {
            nodes, kubeconfig,
        };
        CommandHelp.AddExamples(command,
            ("Interrupt the first spot node of the playground", "spotalis sim interrupt \"$(kubectl --kubeconfig /tmp/sim.kubeconfig get nodes -l karpenter.sh/capacity-type=spot -o jsonpath='{.items[0].metadata.name}')\" --kubeconfig /tmp/sim.kubeconfig"));
        command.SetAction((parse, cancellationToken) => RunAsync(parse, kubeconfig, async (client, console, error) =>
        {
            var failed = false;
            foreach (var name in parse.GetValue(nodes)!)
            {
                var patch = new V1Patch(
                    JsonSerializer.Serialize(new { metadata = new { annotations = new Dictionary<string, string> { ["sim.spotalis.io/interrupt"] = TimeProvider.System.GetUtcNow().ToString("O", CultureInfo.InvariantCulture) } } }),
                    V1Patch.PatchType.MergePatch);
                try
                {
                    await client.CoreV1.PatchNodeAsync(patch, name, cancellationToken: cancellationToken);
                }
                catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
                {
                    await error.WriteLineAsync($"error: node {name} not found (kubectl get nodes lists them)");
                    failed = true;
                    continue;
                }

                var answer = await WaitForAsync(
                    async () => (await client.CoreV1.ReadNodeAsync(name, cancellationToken: cancellationToken)).GetAnnotation("sim.spotalis.io/interruption"),
                    cancellationToken);
                switch (answer)
                {
                    case null:
                        await error.WriteLineAsync($"error: node {name}: the simulator did not answer within {Patience.TotalSeconds:0} s (is this a spotalis sim serve cluster?)");
                        failed = true;
                        break;
                    case var refused when refused.StartsWith("refused", StringComparison.Ordinal):
                        await error.WriteLineAsync($"error: node {name}: {refused}");
                        failed = true;
                        break;
                    default:
                        await console.WriteLineAsync($"node {name}: interruption {answer}");
                        break;
                }
            }

            return failed ? ExitCodes.Failure : ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Outage()
    {
        var start = new Command("start", "Start a capacity outage: the pools cannot launch nodes (existing nodes stay).");
        var stop = new Command("stop", "End a capacity outage: pending pods may get nodes again.");
        foreach (var (command, outage) in new[] { (start, true), (stop, false) })
        {
            var kubeconfig = StatusCommand.KubeconfigOption();
            var target = new Argument<string>("TARGET") { Description = "A capacity type (spot or on-demand: every pool of it) or a pool name (spotalis sim pools lists them)." };
            command.Add(target);
            command.Add(kubeconfig);
            command.SetAction((parse, cancellationToken) => RunAsync(parse, kubeconfig, async (client, console, error) =>
            {
                var pools = await ListPoolsAsync(client, cancellationToken);
                var wanted = parse.GetValue(target)!;
                var chosen = pools.Where(p => p.CapacityType == wanted).Select(p => p.Name).ToList();
                if (chosen.Count == 0 && pools.Any(p => p.Name == wanted))
                {
                    chosen.Add(wanted);
                }

                if (chosen.Count == 0)
                {
                    await error.WriteLineAsync($"error: no pool and no capacity type named \"{wanted}\"; pools: {string.Join(", ", pools.Select(p => $"{p.Name} ({p.CapacityType})"))}");
                    return ExitCodes.Usage;
                }

                foreach (var name in chosen)
                {
                    await PatchSpecAsync(client, name, new { outage }, cancellationToken);
                }

                var settled = await WaitForAsync(
                    async () => (await ListPoolsAsync(client, cancellationToken)).Where(p => chosen.Contains(p.Name)).All(p => p.InOutage == outage) ? "yes" : null,
                    cancellationToken);
                if (settled is null)
                {
                    await error.WriteLineAsync($"error: the simulator did not report the change within {Patience.TotalSeconds:0} s");
                    return ExitCodes.Failure;
                }

                await console.WriteLineAsync(outage
                    ? $"Capacity outage started in {string.Join(", ", chosen)}: no node can be launched there until `spotalis sim outage stop {wanted}`."
                    : $"Capacity outage ended in {string.Join(", ", chosen)}.");
                return ExitCodes.Ok;
            }));
        }

        CommandHelp.AddExamples(start, ("No spot node can be launched until the outage stops", "spotalis sim outage start spot --kubeconfig /tmp/sim.kubeconfig"));
        CommandHelp.AddExamples(stop, ("Spot capacity is back", "spotalis sim outage stop spot --kubeconfig /tmp/sim.kubeconfig"));
        var outageCommand = new Command("outage", "Start or stop a capacity outage (insufficient capacity) in a running sim serve.") { start, stop };
        CommandHelp.AddExamples(outageCommand,
            ("Start a spot outage", "spotalis sim outage start spot --kubeconfig /tmp/sim.kubeconfig"),
            ("End it", "spotalis sim outage stop spot --kubeconfig /tmp/sim.kubeconfig"));
        return outageCommand;
    }

    private static Command Limit()
    {
        var kubeconfig = StatusCommand.KubeconfigOption();
        var pool = new Argument<string>("POOL") { Description = "The pool (spotalis sim pools lists them)." };
        var maxNodes = new Option<int>("--max-nodes") { Description = "The most nodes the pool may have (provisioning never goes beyond it).", Required = true };
        maxNodes.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > 10_000)
            {
                result.AddError("--max-nodes must be between 0 and 10000.");
            }
        });
        var command = new Command("limit", "Set a pool's node limit in a running sim serve.") { pool, maxNodes, kubeconfig };
        CommandHelp.AddExamples(command, ("At most 3 nodes in the pool named spot", "spotalis sim limit spot --max-nodes 3 --kubeconfig /tmp/sim.kubeconfig"));
        command.SetAction((parse, cancellationToken) => RunAsync(parse, kubeconfig, async (client, console, error) =>
        {
            var name = parse.GetValue(pool)!;
            var pools = await ListPoolsAsync(client, cancellationToken);
            if (pools.All(p => p.Name != name))
            {
                await error.WriteLineAsync($"error: no pool named \"{name}\"; pools: {string.Join(", ", pools.Select(p => p.Name))}");
                return ExitCodes.Usage;
            }

            var max = parse.GetValue(maxNodes);
            await PatchSpecAsync(client, name, new { maxNodes = max }, cancellationToken);
            await console.WriteLineAsync($"Pool {name}: at most {max} nodes (nodes above the limit are not removed; no new ones are launched).");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Pools()
    {
        var kubeconfig = StatusCommand.KubeconfigOption();
        var command = new Command("pools", "List the node pools of a running sim serve: capacity type, nodes, launches, limit, outage.") { kubeconfig };
        CommandHelp.AddExamples(command, ("The pools of the playground", "spotalis sim pools --kubeconfig /tmp/sim.kubeconfig"));
        command.SetAction((parse, cancellationToken) => RunAsync(parse, kubeconfig, async (client, console, _) =>
        {
            var pools = await ListPoolsAsync(client, cancellationToken);
            await console.WriteLineAsync($"{"POOL",-20} {"CAPACITY",-10} {"NODES",5} {"LAUNCHING",9} {"MAX",4}  OUTAGE");
            foreach (var p in pools)
            {
                await console.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{p.Name,-20} {p.CapacityType,-10} {p.Nodes,5} {p.Launching,9} {p.MaxNodes,4}  {(p.InOutage ? "yes" : "no")}{(p.Blocked is { } b ? "  (" + b + ")" : string.Empty)}"));
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, Option<string?> kubeconfig, Func<IKubernetes, TextWriter, TextWriter, Task<int>> action)
    {
        var error = parse.InvocationConfiguration.Error;
        try
        {
            var (client, _) = ClusterConnection.Open(parse.GetValue(kubeconfig));
            using (client)
            {
                return await action(client, parse.InvocationConfiguration.Output, error);
            }
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound && e.Request.RequestUri.AbsolutePath.Contains(Plural, StringComparison.Ordinal))
        {
            await error.WriteLineAsync("error: this cluster has no SimulatedPool objects: point --kubeconfig at a `spotalis sim serve` cluster");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or IOException or k8s.Exceptions.KubeConfigException)
        {
            await error.WriteLineAsync($"error: cannot reach the simulated cluster: {(e is HttpOperationException h ? h.Response.Content : e.Message)}");
            return ExitCodes.Failure;
        }
    }

    private static async Task PatchSpecAsync(IKubernetes client, string name, object spec, CancellationToken cancellationToken) =>
        await client.CustomObjects.PatchClusterCustomObjectAsync(
            new V1Patch(JsonSerializer.Serialize(new { spec }), V1Patch.PatchType.MergePatch), Group, Version, Plural, name, cancellationToken: cancellationToken);

    private static async Task<IReadOnlyList<PoolRow>> ListPoolsAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        var list = (JsonElement)await client.CustomObjects.ListClusterCustomObjectAsync(Group, Version, Plural, cancellationToken: cancellationToken);
        var rows = new List<PoolRow>();
        foreach (var item in list.GetProperty("items").EnumerateArray())
        {
            var status = item.TryGetProperty("status", out var s) ? s : default;
            int Number(string field) => status.ValueKind == JsonValueKind.Object && status.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : 0;
            rows.Add(new PoolRow(
                item.GetProperty("metadata").GetProperty("name").GetString()!,
                status.ValueKind == JsonValueKind.Object && status.TryGetProperty("capacityType", out var c) ? c.GetString()! : item.GetProperty("spec").GetProperty("capacityType").GetString()!,
                Number("nodes"),
                Number("launching"),
                Number("maxNodes"),
                status.ValueKind == JsonValueKind.Object && status.TryGetProperty("inOutage", out var o) && o.ValueKind == JsonValueKind.True,
                status.ValueKind == JsonValueKind.Object && status.TryGetProperty("launchBlockedBy", out var b) ? b.GetString() : null));
        }

        return rows;
    }

    private static async Task<string?> WaitForAsync(Func<Task<string?>> read, CancellationToken cancellationToken)
    {
        var deadline = TimeProvider.System.GetUtcNow() + Patience;
        while (true)
        {
            if (await read() is { } answer)
            {
                return answer;
            }

            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                return null;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    private sealed record PoolRow(string Name, string CapacityType, int Nodes, int Launching, int MaxNodes, bool InOutage, string? Blocked);
}
