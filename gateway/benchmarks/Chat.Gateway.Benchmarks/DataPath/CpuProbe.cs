namespace Chat.Gateway.Benchmarks.DataPath;

/// <summary>CPU seconds of the proxy, the echo backend, this client process and the machine, sampled together.</summary>
internal sealed class CpuProbe(int proxyPid, int backendPid)
{
    public Sample Take()
    {
        var (busy, total) = ProcessCpu.Machine();
        return new Sample(ProcessCpu.TreeSeconds(proxyPid), ProcessCpu.TreeSeconds(backendPid), ProcessCpu.Seconds(Environment.ProcessId), busy, total);
    }

    internal readonly record struct Sample(double Proxy, double Backend, double Client, double MachineBusy, double MachineTotal);
}
