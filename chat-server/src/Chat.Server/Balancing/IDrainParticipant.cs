namespace Chat.Server.Balancing;

/// <summary>Something that must act the moment draining starts, before clients are handed over (e.g. leave the load view).</summary>
public interface IDrainParticipant
{
    Task DrainStartingAsync(CancellationToken cancellationToken);
}
