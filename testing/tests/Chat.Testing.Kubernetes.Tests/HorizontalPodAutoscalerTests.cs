using Chat.Testing.Kubernetes.Autoscaling;
using k8s.Models;

namespace Chat.Testing.Kubernetes.Tests;

/// <summary>The HPA's arithmetic, against examples worked out from the Kubernetes documentation and controller code.</summary>
public sealed class HorizontalPodAutoscalerTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(2, 400, 100, 4)] // 200 per pod against 100: twice as many
    [InlineData(4, 420, 100, 4)] // 105 per pod: within the 10 % tolerance
    [InlineData(4, 150, 100, 2)] // 37.5 per pod: ceil(150 / 100)
    [InlineData(2, 0, 100, 0)]   // nothing: as few as the HPA's minimum allows (clamped later)
    public void External_AverageValue_divides_the_total_by_the_target(int replicas, double total, double target, int expected)
    {
        Assert.Equal(expected, ReplicaCalculator.ExternalAverageValue(replicas, target, total));
    }

    [Fact]
    public void Cpu_utilization_against_requests_scales_by_the_ratio()
    {
        // Two ready pods long past start-up, 350m and 350m used of 250m requested each: 140 % against a 70 % target.
        var pods = new[] { Pod("a", 350), Pod("b", 350) };

        Assert.Equal(4, ReplicaCalculator.ResourceUtilization(2, 70, pods, Now));
    }

    [Fact]
    public void A_pod_without_a_cpu_sample_counts_as_idle_on_scale_up_and_as_full_on_scale_down()
    {
        var hot = new[] { Pod("a", 350), Pod("b", 350), Pod("c", null) };
        var cold = new[] { Pod("a", 20), Pod("b", 20), Pod("c", null) };
        var coldMeasured = new[] { Pod("a", 20), Pod("b", 20), Pod("c", 20) };

        // Scale-up: c counts as 0, so 700m of 750m requested at 70 %: 4 rather than the 6 two hot pods alone ask for.
        Assert.Equal(4, ReplicaCalculator.ResourceUtilization(3, 70, hot, Now));
        // Scale-down: c counts as its full request, so it goes to 2 where three measured idle pods would go to 1.
        Assert.Equal(2, ReplicaCalculator.ResourceUtilization(3, 70, cold, Now));
        Assert.Equal(1, ReplicaCalculator.ResourceUtilization(3, 70, coldMeasured, Now));
    }

    [Fact]
    public void Scale_up_waits_out_its_stabilization_window_and_then_follows_its_policy()
    {
        var behavior = new ScalingBehavior(new V2HorizontalPodAutoscalerBehavior
        {
            ScaleUp = new V2HPAScalingRules { StabilizationWindowSeconds = 30, Policies = [new() { Type = "Pods", Value = 2, PeriodSeconds = 30 }] },
        });

        // The metric asks for 8 from now on; the window still holds the older recommendation of 2.
        Assert.Equal(2, behavior.Normalize(2, 2, 2, 10, Now).Replicas);
        Assert.Equal(2, behavior.Normalize(2, 8, 2, 10, Now + TimeSpan.FromSeconds(15)).Replicas);
        var (replicas, reason) = behavior.Normalize(2, 8, 2, 10, Now + TimeSpan.FromSeconds(45));
        Assert.Equal((4, "ScaleUpLimit"), (replicas, reason));
        behavior.Scaled(2, 4, Now + TimeSpan.FromSeconds(45));
        Assert.Equal(4, behavior.Normalize(4, 8, 2, 10, Now + TimeSpan.FromSeconds(60)).Replicas);
        Assert.Equal(6, behavior.Normalize(4, 8, 2, 10, Now + TimeSpan.FromSeconds(76)).Replicas);
    }

    [Fact]
    public void Scale_down_takes_the_highest_recommendation_of_its_window_and_one_pod_per_period()
    {
        var behavior = new ScalingBehavior(new V2HorizontalPodAutoscalerBehavior
        {
            ScaleDown = new V2HPAScalingRules { StabilizationWindowSeconds = 30, SelectPolicy = "Min", Policies = [new() { Type = "Pods", Value = 1, PeriodSeconds = 20 }] },
        });

        Assert.Equal(4, behavior.Normalize(4, 4, 2, 10, Now).Replicas);
        Assert.Equal(4, behavior.Normalize(4, 2, 2, 10, Now + TimeSpan.FromSeconds(15)).Replicas);
        Assert.Equal(3, behavior.Normalize(4, 2, 2, 10, Now + TimeSpan.FromSeconds(31)).Replicas);
        behavior.Scaled(4, 3, Now + TimeSpan.FromSeconds(31));
        Assert.Equal(3, behavior.Normalize(3, 2, 2, 10, Now + TimeSpan.FromSeconds(46)).Replicas);
        Assert.Equal(2, behavior.Normalize(3, 2, 2, 10, Now + TimeSpan.FromSeconds(52)).Replicas);
    }

    [Fact]
    public void Without_a_behavior_the_defaults_apply_scale_down_after_five_minutes()
    {
        var behavior = new ScalingBehavior(null);

        Assert.Equal(10, behavior.Normalize(10, 10, 1, 20, Now).Replicas);
        Assert.Equal(10, behavior.Normalize(10, 1, 1, 20, Now + TimeSpan.FromMinutes(4)).Replicas);
        Assert.Equal(1, behavior.Normalize(10, 1, 1, 20, Now + TimeSpan.FromMinutes(5.1)).Replicas);
    }

    private static PodForMetrics Pod(string name, double? millicores) =>
        new(name, Pending: false, Deleted: false, Ready: true, StartTime: Now - TimeSpan.FromHours(1), ReadySince: Now - TimeSpan.FromHours(1),
            RequestMillicores: 250, Usage: millicores is { } m ? (m, Now - TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15)) : null);
}
