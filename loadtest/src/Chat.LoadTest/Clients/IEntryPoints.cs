namespace Chat.LoadTest.Clients;

/// <summary>Where a client (re)connects: the gateway or ingress, or the replicas in turn when there is none.</summary>
public interface IEntryPoints
{
    Uri Next();

    /// <summary>The Host header to send instead of the entry's own (an ingress rule's host reached by address), or null.</summary>
    string? Host => null;
}
