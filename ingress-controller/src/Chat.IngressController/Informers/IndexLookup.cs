using System.Collections;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace Chat.IngressController.Informers;

/// <summary>
/// A lookup over the indexes of informers (<see cref="Informer{T}.Index"/>) without copying them; a group that did not
/// change is the same object from one snapshot to the next, so its users can tell at once that it did not change.
/// </summary>
public sealed class IndexLookup<T>(IReadOnlyList<ImmutableDictionary<string, ImmutableDictionary<string, T>>> indexes) : ILookup<string, T>
{
    private static readonly ConditionalWeakTable<ImmutableDictionary<string, T>, Group> Groups = [];
    private static readonly Group None = new("", ImmutableDictionary<string, T>.Empty);

    public int Count => indexes.Sum(i => i.Count);

    public IEnumerable<T> this[string key]
    {
        get
        {
            foreach (var index in indexes)
            {
                if (index.TryGetValue(key, out var members))
                {
                    return Groups.GetValue(members, m => new Group(key, m));
                }
            }

            return None;
        }
    }

    public bool Contains(string key) => indexes.Any(i => i.ContainsKey(key));

    public IEnumerator<IGrouping<string, T>> GetEnumerator() =>
        indexes.SelectMany(i => i).Select(kv => (IGrouping<string, T>)Groups.GetValue(kv.Value, m => new Group(kv.Key, m))).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private sealed class Group(string key, ImmutableDictionary<string, T> members) : IGrouping<string, T>
    {
        public string Key => key;

        public IEnumerator<T> GetEnumerator() => members.Values.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
