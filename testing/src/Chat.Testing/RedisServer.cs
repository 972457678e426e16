using System.Net.Sockets;

namespace Chat.Testing;

/// <summary>
/// A real redis-server (Debian's) on a free loopback port, without persistence. It can be stopped and started
/// again on the same port, to test what happens while Redis is away.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private ChildProcess? _process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>For ConnectionStrings:Redis. abortConnect=false: the chat server starts (not ready) while Redis is down.</summary>
    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000";

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(FreePort.Next());
        await server.StartAgainAsync();
        return server;
    }

    public async Task StartAgainAsync()
    {
        if (_process is { HasExited: false })
        {
            return;
        }

        _process = new ChildProcess("redis-server",
        [
            "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--protected-mode", "yes", "--loglevel", "warning",
        ]);
        if (!await Eventually.TrueAsync(IsAcceptingAsync, TimeSpan.FromSeconds(15)))
        {
            throw new InvalidOperationException("redis-server did not start: " + _process.Output);
        }
    }

    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task<bool> IsAcceptingAsync()
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port);
        await using var stream = client.GetStream();
        await stream.WriteAsync("PING\r\n"u8.ToArray());
        var buffer = new byte[16];
        var read = await stream.ReadAsync(buffer);
        return read > 0 && buffer[0] == (byte)'+';
    }
}
