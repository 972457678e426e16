namespace Chat.IngressController.Informers;

/// <summary>
/// A value built from informer snapshots (immutable dictionaries, replaced on every change), built again only when
/// one of them is another instance than last time. Keeps a snapshot of what did not change the same object.
/// </summary>
public sealed class DerivedSnapshot<T>(Func<T> build)
{
    private readonly object _lock = new();
    private object[]? _sources;
    private T? _value;

    public T Get(object[] sources)
    {
        lock (_lock)
        {
            if (_sources is null || !_sources.SequenceEqual(sources, ReferenceEqualityComparer.Instance))
            {
                _value = build();
                _sources = sources;
            }

            return _value!;
        }
    }
}
