using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Chat.Gateway.Benchmarks.DataPath;

/// <summary>
/// The data-path benchmark's backend: a minimal Kestrel WebSocket echo at <c>/echo</c> (every message sent back as
/// it came), plus <c>/healthz</c> and <c>/readyz</c> for the proxies' probes. Runs as this program's
/// <c>echo-server PORT</c> mode, in a process of its own, so that the proxy is what the benchmark measures.
/// </summary>
internal static class EchoServer
{
    public const string Command = "echo-server";

    public static async Task RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.MapGet("/healthz", () => "ok");
        app.MapGet("/readyz", () => "ok");
        app.Map("/echo", EchoAsync);
        await app.RunAsync();
    }

    private static async Task EchoAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer.AsMemory(), context.RequestAborted);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                    return;
                }

                await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, context.RequestAborted);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The client or the proxy went away: nothing to echo to.
        }
    }
}
