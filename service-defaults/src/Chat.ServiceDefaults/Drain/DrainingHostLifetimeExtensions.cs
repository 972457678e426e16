using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Chat.ServiceDefaults.Drain;

public static class DrainingHostLifetimeExtensions
{
    /// <summary>
    /// Makes the host's lifetime a <see cref="DrainingHostLifetime"/> that runs <typeparamref name="TDrain"/> (registered
    /// by the caller) on SIGTERM and logs <paramref name="logText"/> when it starts.
    /// </summary>
    public static IServiceCollection AddDrainingHostLifetime<TDrain>(this IServiceCollection services, string logText)
        where TDrain : class, IShutdownDrain
    {
        services.AddSingleton<IHostLifetime>(sp => new DrainingHostLifetime(
            sp.GetRequiredService<TDrain>(),
            logText,
            sp.GetRequiredService<IHostApplicationLifetime>(),
            sp.GetRequiredService<ILogger<DrainingHostLifetime>>()));
        return services;
    }
}
