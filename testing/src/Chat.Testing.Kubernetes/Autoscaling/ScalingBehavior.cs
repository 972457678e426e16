using k8s.Models;

namespace Chat.Testing.Kubernetes.Autoscaling;

/// <summary>
/// The HPA's behavior for one autoscaler (horizontal.go): stabilization windows over past recommendations (the
/// lowest of the scale-up window, the highest of the scale-down window), then the scaling policies' rate limits over
/// the replicas added or removed within each policy's period, selectPolicy Max/Min/Disabled, and min/max replicas.
/// Defaults as the API server sets them when a field is absent.
/// </summary>
public sealed class ScalingBehavior(V2HorizontalPodAutoscalerBehavior? behavior)
{
    private readonly V2HPAScalingRules _up = WithDefaults(behavior?.ScaleUp, up: true);
    private readonly V2HPAScalingRules _down = WithDefaults(behavior?.ScaleDown, up: false);
    private readonly List<(DateTimeOffset At, int Replicas)> _recommendations = [];
    private readonly List<(DateTimeOffset At, int Change)> _upEvents = [];
    private readonly List<(DateTimeOffset At, int Change)> _downEvents = [];

    public V2HPAScalingRules ScaleUp => _up;

    public V2HPAScalingRules ScaleDown => _down;

    /// <summary>The replica count to set, given the metrics' proposal; records the recommendation.</summary>
    public (int Replicas, string Reason) Normalize(int current, int proposed, int min, int max, DateTimeOffset now)
    {
        var stabilized = Stabilize(current, proposed, now);
        var reason = stabilized == proposed ? "desired" : stabilized > proposed ? "ScaleDownStabilized" : "ScaleUpStabilized";
        if (stabilized > current)
        {
            var limit = Math.Max(current, UpLimit(current, now));
            var allowed = Math.Min(max, limit);
            if (stabilized > allowed)
            {
                return (allowed, limit < max ? "ScaleUpLimit" : "TooManyReplicas");
            }
        }
        else if (stabilized < current)
        {
            var limit = Math.Min(current, DownLimit(current, now));
            var allowed = Math.Max(min, limit);
            if (stabilized < allowed)
            {
                return (allowed, limit > min ? "ScaleDownLimit" : "TooFewReplicas");
            }
        }

        return (stabilized, reason);
    }

    /// <summary>A rescale that happened, for the policies' periods.</summary>
    public void Scaled(int from, int to, DateTimeOffset now)
    {
        if (to > from)
        {
            _upEvents.Add((now, to - from));
        }
        else if (to < from)
        {
            _downEvents.Add((now, from - to));
        }

        var longest = TimeSpan.FromSeconds(Math.Max(_up.Policies.Max(p => p.PeriodSeconds), _down.Policies.Max(p => p.PeriodSeconds)));
        _upEvents.RemoveAll(e => e.At < now - longest);
        _downEvents.RemoveAll(e => e.At < now - longest);
    }

    private int Stabilize(int current, int proposed, DateTimeOffset now)
    {
        var upCutoff = now - TimeSpan.FromSeconds(_up.StabilizationWindowSeconds ?? 0);
        var downCutoff = now - TimeSpan.FromSeconds(_down.StabilizationWindowSeconds ?? 300);
        var upRecommendation = proposed;
        var downRecommendation = proposed;
        foreach (var (at, replicas) in _recommendations)
        {
            if (at > upCutoff)
            {
                upRecommendation = Math.Min(upRecommendation, replicas);
            }

            if (at > downCutoff)
            {
                downRecommendation = Math.Max(downRecommendation, replicas);
            }
        }

        _recommendations.RemoveAll(r => r.At < upCutoff && r.At < downCutoff);
        _recommendations.Add((now, proposed));
        var recommendation = current;
        if (recommendation < upRecommendation)
        {
            recommendation = upRecommendation;
        }

        if (recommendation > downRecommendation)
        {
            recommendation = downRecommendation;
        }

        return recommendation;
    }

    private int UpLimit(int current, DateTimeOffset now)
    {
        if (_up.SelectPolicy == "Disabled")
        {
            return current;
        }

        var min = _up.SelectPolicy == "Min";
        var result = min ? int.MaxValue : int.MinValue;
        foreach (var policy in _up.Policies)
        {
            var start = current - Change(_upEvents, policy, now) + Change(_downEvents, policy, now);
            var proposed = policy.Type == "Pods" ? start + policy.Value : (int)Math.Ceiling(start * (1 + policy.Value / 100.0));
            result = min ? Math.Min(result, proposed) : Math.Max(result, proposed);
        }

        return result;
    }

    private int DownLimit(int current, DateTimeOffset now)
    {
        if (_down.SelectPolicy == "Disabled")
        {
            return current;
        }

        var min = _down.SelectPolicy == "Min";
        var result = min ? int.MinValue : int.MaxValue;
        foreach (var policy in _down.Policies)
        {
            var start = current - Change(_upEvents, policy, now) + Change(_downEvents, policy, now);
            var proposed = policy.Type == "Pods" ? start - policy.Value : (int)(start * (1 - policy.Value / 100.0));
            result = min ? Math.Max(result, proposed) : Math.Min(result, proposed);
        }

        return result;
    }

    private static int Change(List<(DateTimeOffset At, int Change)> events, V2HPAScalingPolicy policy, DateTimeOffset now) =>
        events.Where(e => e.At > now - TimeSpan.FromSeconds(policy.PeriodSeconds)).Sum(e => e.Change);

    private static V2HPAScalingRules WithDefaults(V2HPAScalingRules? rules, bool up) => new()
    {
        StabilizationWindowSeconds = rules?.StabilizationWindowSeconds ?? (up ? 0 : 300),
        SelectPolicy = rules?.SelectPolicy ?? "Max",
        Policies = rules?.Policies is { Count: > 0 } policies
            ? policies
            : up
                ? [Policy("Pods", 4, 15), Policy("Percent", 100, 15)]
                : [Policy("Percent", 100, 15)],
    };

    private static V2HPAScalingPolicy Policy(string type, int value, int periodSeconds) =>
        new() { Type = type, Value = value, PeriodSeconds = periodSeconds };
}
