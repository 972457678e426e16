namespace Chat.Gateway.Benchmarks.DataPath;

/// <summary>
/// What one proxy achieved on the echo backend in one measurement (or several merged): WebSocket setups per second,
/// closed-loop round trips per second and their latency, the stalls (round trips over <see cref="EchoLoad.StallMs"/>),
/// the slowest 100 ms of the window as a rate, and CPU per round trip of the proxy, the echo backend and the client
/// (microseconds), with how busy the whole machine was (0..1).
/// </summary>
public sealed record EchoFigures(
    string Proxy,
    double ConnectionsPerSecond,
    double MessagesPerSecond,
    double P50Ms,
    double P99Ms,
    double MeanMs,
    double MaxMs,
    long Stalls,
    double SlowestTenthRate,
    double ProxyCpuUs,
    double BackendCpuUs,
    double ClientCpuUs,
    double MachineBusy);
