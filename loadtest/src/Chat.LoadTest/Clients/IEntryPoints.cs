namespace Chat.LoadTest.Clients;

/// <summary>Where a client (re)connects: the gateway or ingress, or the replicas in turn when there is none.</summary>
public interface IEntryPoints
{
    Uri Next();
}
