using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace Chat.Proxy.Hosting;

/// <summary>
/// Opt-in (<c>Proxy:InlineIo=true</c>): runs socket completions and Kestrel's transport continuations on the I/O
/// threads instead of queueing each to the thread pool. Off by default: on the 2-core benchmark machine
/// (gateway/benchmarks, <c>echo</c> mode) it did not lower the gateway's CPU per message, and it lets any slow
/// continuation hold up every socket of its I/O thread. DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS set to
/// anything but 1 keeps it off.
/// </summary>
public static class InlineIo
{
    public const string ConfigKey = "Proxy:InlineIo";

    private const string RuntimeVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Call before the host is built: the runtime reads the variable when the first socket is created.</summary>
    public static IWebHostBuilder UseChatProxyInlineIo(this IWebHostBuilder webHost, IConfiguration configuration)
    {
        var inline = configuration.GetValue(ConfigKey, defaultValue: false)
            && Environment.GetEnvironmentVariable(RuntimeVariable) is null or "1";
        if (inline)
        {
            Environment.SetEnvironmentVariable(RuntimeVariable, "1");
        }

        return webHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = inline);
    }
}
