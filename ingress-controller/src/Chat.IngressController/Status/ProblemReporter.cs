using System.Threading.Channels;
using Chat.IngressController.Hosting;
using Chat.IngressController.Kubernetes;
using Chat.IngressController.Observability;
using Chat.IngressController.Translation;
using k8s.Models;
using Microsoft.Extensions.Options;

namespace Chat.IngressController.Status;

/// <summary>
/// Reports per-Ingress problems once each while they last: a warning in the log on every replica, and a Warning
/// Event on the Ingress from the leader (so <c>kubectl describe ingress</c> shows it).
/// </summary>
public sealed class ProblemReporter : BackgroundService
{
    private readonly KubernetesApi _api;
    private readonly LeaderElection _leader;
    private readonly ControllerMetrics _metrics;
    private readonly ILogger<ProblemReporter> _logger;
    private readonly string _component;
    private readonly string _identity;
    private readonly Channel<IngressProblem> _events = Channel.CreateBounded<IngressProblem>(
        new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });
    private HashSet<string> _logged = [];
    private HashSet<string> _evented = [];

    public ProblemReporter(KubernetesApi api, LeaderElection leader, ControllerMetrics metrics, IOptions<IngressControllerOptions> options, ILogger<ProblemReporter> logger)
    {
        _api = api;
        _leader = leader;
        _metrics = metrics;
        _logger = logger;
        _component = options.Value.ControllerName;
        _identity = options.Value.Identity;
    }

    /// <summary>Called with all current problems after each reconcile (single caller).</summary>
    public void Report(IEnumerable<IngressProblem> problems)
    {
        var current = new Dictionary<string, IngressProblem>();
        foreach (var problem in problems)
        {
            current.TryAdd($"{problem.Ingress.Metadata.Uid}|{problem.Key}|{problem.Ingress.Metadata.Generation}|{problem.Reason}|{problem.Message}", problem);
        }

        foreach (var (key, problem) in current)
        {
            if (!_logged.Contains(key))
            {
                _logger.LogWarning("Ingress {Ingress}: {Reason}: {Message}", problem.Key, problem.Reason, problem.Message);
                _metrics.ProblemReported();
            }

            if (_leader.IsLeader && !_evented.Contains(key))
            {
                _events.Writer.TryWrite(problem);
            }
        }

        _logged = current.Keys.ToHashSet();
        _evented = _leader.IsLeader ? current.Keys.ToHashSet() : _evented.Where(current.ContainsKey).ToHashSet();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var problem in _events.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    timeout.CancelAfter(TimeSpan.FromSeconds(15));
                    await _api.CreateEventAsync(ToEvent(problem), timeout.Token);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    _logger.LogWarning("Event for Ingress {Ingress} not written: {Error}", problem.Key, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private Corev1Event ToEvent(IngressProblem problem)
    {
        var ingress = problem.Ingress.Metadata;
        var now = DateTime.UtcNow;
        return new Corev1Event
        {
            Metadata = new V1ObjectMeta { GenerateName = ingress.Name + ".", NamespaceProperty = ingress.NamespaceProperty },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = "networking.k8s.io/v1",
                Kind = "Ingress",
                Name = ingress.Name,
                NamespaceProperty = ingress.NamespaceProperty,
                Uid = ingress.Uid,
                ResourceVersion = ingress.ResourceVersion,
            },
            Type = "Warning",
            Reason = problem.Reason,
            Message = problem.Message,
            Source = new V1EventSource { Component = _component, Host = _identity },
            ReportingComponent = _component,
            ReportingInstance = _identity,
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
        };
    }
}
