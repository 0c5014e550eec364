namespace Spotalis.Operator.Cache;

/// <summary>Thread-safe index from an owner key to the items it owns, by item name.</summary>
internal sealed class OwnerIndex<T>
    where T : class
{
    private readonly Dictionary<string, Dictionary<string, T>> _byOwner = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public void Set(string ownerKey, string name, T item)
    {
        lock (_lock)
        {
            if (!_byOwner.TryGetValue(ownerKey, out var items))
            {
                items = new Dictionary<string, T>(StringComparer.Ordinal);
                _byOwner[ownerKey] = items;
            }

            items[name] = item;
        }
    }

    public void Remove(string ownerKey, string name)
    {
        lock (_lock)
        {
            if (_byOwner.TryGetValue(ownerKey, out var items) && items.Remove(name) && items.Count == 0)
            {
                _byOwner.Remove(ownerKey);
            }
        }
    }

    public IReadOnlyList<T> Get(string ownerKey)
    {
        lock (_lock)
        {
            return _byOwner.TryGetValue(ownerKey, out var items) ? [.. items.Values] : [];
        }
    }
}
