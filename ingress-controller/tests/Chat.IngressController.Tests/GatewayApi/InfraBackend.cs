using System.Text.Json;
using Chat.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Chat.IngressController.Tests.GatewayApi;

/// <summary>
/// A backend pod on loopback that answers every request with what it received, like the conformance suite's echo
/// server: its service and namespace, the path, host, method and headers. Paths starting /delay/{ms} answer late.
/// </summary>
public sealed class InfraBackend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InfraBackend(WebApplication app, string service, string ns, int port)
    {
        _app = app;
        Service = service;
        Namespace = ns;
        Port = port;
    }

    public string Service { get; }
    public string Namespace { get; }
    public int Port { get; }

    public static async Task<InfraBackend> StartAsync(string service, string ns)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.UseWebSockets();
        app.Run(async context =>
        {
            if (context.WebSockets.IsWebSocketRequest)
            {
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                var buffer = new byte[4096];
                while (true)
                {
                    var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (received.MessageType == System.Net.WebSockets.WebSocketMessageType.Close)
                    {
                        await socket.CloseOutputAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                        return;
                    }

                    await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, CancellationToken.None);
                }
            }

            var path = context.Request.Path.Value ?? "/";
            if (path.StartsWith("/delay/", StringComparison.Ordinal) && int.TryParse(path["/delay/".Length..], out var ms))
            {
                await Task.Delay(ms, context.RequestAborted);
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(new EchoedRequest(service, ns, path + context.Request.QueryString, context.Request.Host.Value ?? "",
                context.Request.Method, context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()))));
        });
        await app.StartAsync();
        return new InfraBackend(app, service, ns, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>What an <see cref="InfraBackend"/> saw (headers by lower-case name, values comma-joined).</summary>
public sealed record EchoedRequest(string Service, string Namespace, string Path, string Host, string Method, Dictionary<string, string> Headers);
