using Chat.Testing;

namespace Chat.IngressController.Tests.Support;

/// <summary>
/// The scale-out that the Ingress and the Gateway API paths must both pass: 40 clients on r1 and r2, then r3 and r4
/// added to the endpoints and 4 more clients; within 45 s every replica holds at most 1.15 × the mean (+1 for
/// rounding) and the connections made after the scale-out went mostly (two thirds) to the new replicas.
/// </summary>
public static class ScaleOutCheck
{
    /// <summary>Runs it; <paramref name="applyEndpoints"/> writes the endpoints of every replica started so far; <paramref name="host"/> is the clients' Host header.</summary>
    public static async Task<ClientPool> From2To4Async(ControllerHost controller, ReplicaSet replicas, Action applyEndpoints, string? host = null)
    {
        var pool = await ClientPool.OpenAsync(controller.HttpPort, 40, host);
        try
        {
            Assert.Equal(["r1", "r2"], pool.Counts().Keys.Order());

            await replicas.AddAsync(["r3", "r4"]);
            var generation = controller.Applier.Generation;
            applyEndpoints();
            Assert.True(await controller.AppliedAfterAsync(generation));
            var scaledAt = DateTime.UtcNow;
            await pool.OpenMoreAsync(4);

            // The loaded replicas hand their excess over; clients reconnect through the controller and land on the new ones.
            var balanced = await Eventually.TrueAsync(() =>
            {
                var counts = pool.Counts();
                var mean = counts.Values.Sum() / 4.0;
                return counts.Count == 4 && counts.Values.Sum() == 44 && counts.Values.Max() <= Math.Ceiling(mean * 1.15) + 1;
            }, TimeSpan.FromSeconds(45), TimeSpan.FromMilliseconds(250));
            Assert.True(balanced, "not balanced: " + string.Join(", ", pool.Counts().Select(kv => $"{kv.Key}={kv.Value}")));

            var after = pool.Connections.Where(c => c.At >= scaledAt).ToList();
            Assert.True(after.Count(c => c.Replica is "r3" or "r4") * 3 >= after.Count * 2,
                "connections after the scale-out: " + string.Join(", ", after.GroupBy(c => c.Replica).Select(g => $"{g.Key}={g.Count()}")));
            return pool;
        }
        catch
        {
            await pool.DisposeAsync();
            throw;
        }
    }
}
