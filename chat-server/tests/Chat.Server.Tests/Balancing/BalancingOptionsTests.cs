using System.ComponentModel.DataAnnotations;
using Chat.Server.Balancing;

namespace Chat.Server.Tests.Balancing;

public sealed class BalancingOptionsTests
{
    [Fact]
    public void Defaults_are_valid() => Assert.Empty(Validate(new BalancingOptions()));

    [Fact]
    public void A_report_ttl_not_longer_than_the_interval_is_refused_with_both_values()
    {
        var errors = Validate(new BalancingOptions { ReportInterval = TimeSpan.FromSeconds(2), ReportTtl = TimeSpan.FromSeconds(2) });
        Assert.Contains(errors, e => e.Contains("Balancing:ReportTtl", StringComparison.Ordinal));
    }

    [Fact]
    public void A_drain_timeout_shorter_than_delay_and_period_is_refused()
    {
        var errors = Validate(new BalancingOptions { DrainTimeout = TimeSpan.FromSeconds(3) });
        Assert.Contains(errors, e => e.Contains("Balancing:DrainTimeout", StringComparison.Ordinal));
    }

    [Fact]
    public void A_negative_tolerance_is_refused() =>
        Assert.NotEmpty(Validate(new BalancingOptions { Tolerance = -0.5 }));

    private static List<string> Validate(BalancingOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Select(r => r.ErrorMessage ?? "").ToList();
    }
}
