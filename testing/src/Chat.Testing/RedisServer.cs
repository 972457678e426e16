using System.Net.Sockets;

namespace Chat.Testing;

/// <summary>
/// A real redis-server (Debian's) on a free loopback port. It can be stopped and started again on the same port,
/// to test what happens while Redis is away: without persistence it comes back empty (a lost Redis); durable, it
/// keeps every acknowledged write in an append-only file (fsync always), as a Redis with a volume does.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string? _dataDirectory;
    private ChildProcess? _process;

    private RedisServer(int port, string? dataDirectory)
    {
        Port = port;
        _dataDirectory = dataDirectory;
    }

    public int Port { get; }

    /// <summary>For ConnectionStrings:Redis. abortConnect=false: the chat server starts (not ready) while Redis is down.</summary>
    public string ConnectionString => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000";

    public static async Task<RedisServer> StartAsync(bool durable = false)
    {
        var dataDirectory = durable ? Directory.CreateTempSubdirectory("chat-redis-").FullName : null;
        var server = new RedisServer(FreePort.Next(), dataDirectory);
        await server.StartAgainAsync();
        return server;
    }

    public async Task StartAgainAsync()
    {
        if (_process is { HasExited: false })
        {
            return;
        }

        string[] persistence = _dataDirectory is null
            ? ["--appendonly", "no"]
            : ["--dir", _dataDirectory, "--appendonly", "yes", "--appendfsync", "always"];
        _process = new ChildProcess("redis-server",
        [
            "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", .. persistence,
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

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_dataDirectory is not null)
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

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
