using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace Chat.Proxy.Hosting;

/// <summary>
/// Runs socket completions and Kestrel's transport continuations on the I/O threads instead of queueing each to
/// the thread pool. A proxy's continuations only move bytes between two sockets, so the hop to the pool is most of
/// the cost of a small WebSocket message (measured with gateway/benchmarks, <c>echo</c> mode). Off with
/// <c>Proxy:InlineIo=false</c>, or by setting DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS to anything but 1.
/// </summary>
public static class InlineIo
{
    public const string ConfigKey = "Proxy:InlineIo";

    private const string RuntimeVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Call before the host is built: the runtime reads the variable when the first socket is created.</summary>
    public static IWebHostBuilder UseChatProxyInlineIo(this IWebHostBuilder webHost, IConfiguration configuration)
    {
        var inline = configuration.GetValue(ConfigKey, defaultValue: true)
            && Environment.GetEnvironmentVariable(RuntimeVariable) is null or "1";
        if (inline)
        {
            Environment.SetEnvironmentVariable(RuntimeVariable, "1");
        }

        return webHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = inline);
    }
}
