using System.CommandLine;
using Chat.LoadTest.Scenarios;
using Chat.LoadTest.Targets;

namespace Chat.LoadTest.Cli;

/// <summary>
/// `chat-loadtest &lt;scenario&gt; --target URL` runs against a running cluster (docker compose, kind);
/// `chat-loadtest local &lt;scenario&gt;` starts redis-server, chat replicas and the gateway itself.
/// </summary>
public static class LoadTestCommands
{
    public static RootCommand Create()
    {
        var root = new RootCommand("Load test for the Chat: long-lived SignalR and STOMP connections, fan-out latency, balance across replicas, loss through scale-out and failures.");
        var local = new Command("local", "Start redis-server, N chat replicas and the gateway on loopback, run a scenario, stop them all.");
        foreach (var kind in Enum.GetValues<ScenarioKind>())
        {
            root.Add(Remote(kind));
            local.Add(Local(kind));
        }

        root.Add(local);
        root.Add(Merge());
        return root;
    }

    private static Command Remote(ScenarioKind kind)
    {
        var options = new ScenarioOptions(kind);
        var command = new Command(kind.Name(), Describe(kind) + " Against a running cluster (--target).");
        options.AddTo(command);
        var target = new Option<Uri[]>("--target", "-t")
        {
            Description = "The cluster's entry: http://localhost:8080 (docker compose gateway), http://homedev/ (kind ingress); repeat it to spread clients over several",
            Required = true,
            CustomParser = result =>
            {
                var uris = new List<Uri>();
                foreach (var token in result.Tokens)
                {
                    if (Uri.TryCreate(token.Value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                    {
                        uris.Add(uri);
                    }
                    else
                    {
                        result.AddError($"--target must be an absolute http(s) URL (was '{token.Value}').");
                    }
                }

                return [.. uris];
            },
        };
        var exec = new Option<string[]>("--exec")
        {
            Description = "A shell command run during the hold phase (repeatable; evenly spaced), e.g. \"kubectl -n chat scale deploy/chat --replicas=4\"",
            DefaultValueFactory = _ => [],
        };
        var host = new Option<string?>("--host")
        {
            Description = "The Host header to send, when --target is an address rather than the ingress rule's host (e.g. --target http://172.18.0.10/ --host homedev)",
        };
        command.Add(target);
        command.Add(host);
        command.Add(exec);
        if (kind == ScenarioKind.ScaleOut)
        {
            command.Description += " Scale the cluster yourself or with --exec; the tool watches new replicas appear.";
        }

        command.SetAction((result, cancellationToken) =>
        {
            var settings = options.Bind(result, result.GetValue(exec) ?? []);
            return ScenarioCommand.RunAsync(settings, result.GetValue(options.Plain),
                (_, _) => Task.FromResult<ITargetCluster>(new RemoteTarget(result.GetValue(target)!, result.GetValue(host))), cancellationToken,
                options.Coordinates(result));
        });
        return command;
    }

    private static Command Local(ScenarioKind kind)
    {
        var options = new ScenarioOptions(kind);
        var defaults = ScenarioDefaults.For(kind);
        var command = new Command(kind.Name(), Describe(kind));
        options.AddTo(command);
        var replicas = new Option<int>("--replicas", "-r") { Description = "Chat replicas to start", DefaultValueFactory = _ => defaults.Replicas };
        var noGateway = new Option<bool>("--no-gateway") { Description = "Connect clients to the replicas in turn instead of through the gateway" };
        command.Add(replicas);
        command.Add(noGateway);
        var faults = new Option<ChaosFaults[]>("--faults")
        {
            Description = "Faults to inject: kill, terminate, redis (default all three)",
            DefaultValueFactory = _ => [ChaosFaults.Kill, ChaosFaults.Terminate, ChaosFaults.Redis],
            AllowMultipleArgumentsPerToken = true,
        };
        if (kind == ScenarioKind.ScaleOut)
        {
            command.Add(options.AddReplicas);
        }

        if (kind == ScenarioKind.Chaos)
        {
            command.Add(faults);
        }

        command.SetAction((result, cancellationToken) =>
        {
            var settings = options.Bind(result, []) with
            {
                Faults = (result.GetValue(faults) ?? []).Aggregate(ChaosFaults.None, (all, f) => all | f),
            };
            var cluster = new LocalClusterOptions(result.GetValue(replicas), !result.GetValue(noGateway));
            return ScenarioCommand.RunAsync(settings, result.GetValue(options.Plain),
                async (log, ct) => await LocalCluster.StartAsync(cluster, log, ct), cancellationToken, options.Coordinates(result));
        });
        return command;
    }

    private static Command Merge()
    {
        var inputs = new Argument<string[]>("summaries") { Description = "summary.json files, or the folders that hold them (one per generator)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out", "-o") { Description = "Folder for the merged summary.json and report.html", Required = true };
        var failOnLoss = new Option<bool>("--fail-on-loss") { Description = "Exit with 3 when a message was lost, duplicated or missing" };
        var command = new Command("merge", "Merge the summaries of generators run by hand or as a Kubernetes Indexed Job into one.") { inputs, output, failOnLoss };
        command.SetAction(result => ScenarioCommand.MergeAsync(result.GetValue(inputs)!, result.GetValue(output)!, result.GetValue(failOnLoss)));
        return command;
    }

    private static string Describe(ScenarioKind kind) => kind switch
    {
        ScenarioKind.Connect => "Open N connections at a rate and hold them; the distribution per replica over time.",
        ScenarioKind.Fanout => "Rooms × members × publish rate; delivered messages/s and end-to-end latency percentiles.",
        ScenarioKind.ScaleOut => "Hold connections while replicas are added; max/mean connections per replica over time.",
        ScenarioKind.Chaos => "Kill and SIGTERM replicas and restart Redis during a fanout; count lost and duplicated messages.",
        ScenarioKind.Soak => "A long fanout at a steady rate, bounded by --duration.",
        _ => "",
    };
}
