namespace Chat.LoadTest.Targets;

/// <summary>What `local` starts on loopback: redis-server, this many chat replicas, and the gateway in front.</summary>
public sealed record LocalClusterOptions(int Replicas, bool Gateway)
{
    public void Validate()
    {
        if (Replicas is < 1 or > 32)
        {
            throw new ArgumentException($"--replicas must be between 1 and 32 (was {Replicas}).");
        }
    }
}
