namespace Chat.LoadTest.Scenarios;

/// <summary>
/// Which part of a run one generator process plays when several share it: whole rooms (room r belongs to
/// generator r mod count), so that every room's publishers and receivers are in one process and loss is counted
/// there; and every count-th source address, when there are at least as many addresses as generators.
/// </summary>
public sealed record GeneratorShare(int Index, int Count)
{
    public const int MaxCount = 64;

    public static readonly GeneratorShare Single = new(0, 1);

    public bool IsPartOfMany => Count > 1;

    public bool OwnsRoom(int room) => room % Count == Index;

    public IReadOnlyList<T> AddressesOf<T>(IReadOnlyList<T> addresses) =>
        addresses.Count >= Count ? [.. addresses.Where((_, i) => i % Count == Index)] : addresses;

    /// <summary>Connections this generator opens: the members of its rooms.</summary>
    public int ConnectionsOf(int connections, int rooms) =>
        Enumerable.Range(0, rooms).Where(OwnsRoom).Sum(room => (connections / rooms) + (room < connections % rooms ? 1 : 0));
}
