namespace Chat.Server.Balancing;

/// <summary>Wiring of load reports, rebalancing and drain.</summary>
public static class RebalancingExtensions
{
    // TODO(issue 4): replica load reports in Redis, rebalancer, drain on SIGTERM.
    public static WebApplicationBuilder AddRebalancing(this WebApplicationBuilder builder) => builder;
}
