using System.Collections.Concurrent;
using System.Reflection;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Spotalis.Simulator.Api;

/// <summary>
/// The simulated apiserver's store and semantics, in process: one global resourceVersion, optimistic concurrency,
/// graceful deletion and finalizers, mutating admission, the Eviction API with PodDisruptionBudgets (whose status it
/// keeps current like the disruption controller), and a bounded watch history.
/// </summary>
/// <remarks>
/// Every write takes one lock, commits, then notifies subscribers synchronously in commit order while still holding it;
/// a subscriber that writes re-enters the lock and its change is delivered after the current one.
/// Stored objects are immutable snapshots; writes store a private JSON round-trip copy.
/// One concern at about 620 lines: the store and its write path under one lock (create, update, patch, commit,
/// delivery); deletion, eviction, binding and watch are the partial files beside it.
/// </remarks>
public sealed partial class ClusterApi : IClusterApi
{
    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";
    private static readonly ConcurrentDictionary<Type, PropertyInfo?> SpecProperties = new();
    private static readonly ConcurrentDictionary<Type, PropertyInfo?> StatusProperties = new();

    private readonly object _gate = new();
    private readonly Dictionary<string, KindStore> _stores = new(StringComparer.Ordinal);
    private readonly EventLog _history;
    private readonly Queue<ClusterChange> _undelivered = new();
    private readonly DisruptionBudgets _disruptionBudgets;
    private readonly MutatingAdmission _admission;
    private readonly ILogger? _logger;
    private Action<ClusterChange>[] _subscribers = [];
    private bool _delivering;
    private long _resourceVersion;
    private int _nextServiceAddress = 1;

    public ClusterApi()
        : this(new ClusterApiOptions())
    {
    }

    public ClusterApi(ClusterApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Time = options.Time;
        _logger = options.Logger;
        _history = new EventLog(options.WatchHistorySize);
        foreach (var resource in ResourceRegistry.All)
        {
            _stores.TryAdd(StorageKey(resource), new KindStore(resource));
        }

        _disruptionBudgets = new DisruptionBudgets(this);
        _admission = new MutatingAdmission(this, options.ServiceEndpointResolver, _logger, options.BeforeWebhookCall);
        if (options.CreateSystemNamespaces)
        {
            foreach (var name in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
            {
                EnsureNamespace(name);
            }
        }
    }

    /// <inheritdoc />
    public TimeProvider Time { get; }

    /// <summary>The resources served now: the built-in kinds and those of established CustomResourceDefinitions.</summary>
    public ResourceCatalog Resources { get; } = new();

    /// <inheritdoc />
    public long CurrentResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion;
            }
        }
    }

    /// <summary>The oldest resourceVersion a watch can still resume from; older ones get 410 Gone.</summary>
    public long OldestWatchableResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _history.OldestResumableVersion;
            }
        }
    }

    /// <summary>
    /// Registers an in-process mutating admission plugin called on every pod CREATE with an AdmissionReview v1 JSON
    /// request, exactly like an HTTPS webhook but without TLS; it returns the AdmissionReview response JSON.
    /// A plugin that throws, times out or answers badly rejects the pod unless <paramref name="ignoreFailures"/>.
    /// Dispose the result to unregister.
    /// </summary>
    public IDisposable RegisterAdmissionPlugin(
        Func<string, CancellationToken, Task<string>> plugin,
        string name = "in-process.spotalis.io",
        bool ignoreFailures = false,
        TimeSpan? timeout = null) =>
        _admission.AddPlugin(plugin, name, ignoreFailures, timeout ?? TimeSpan.FromSeconds(10));

    /// <summary>Creates the namespace when it does not exist yet.</summary>
    public V1Namespace EnsureNamespace(string name)
    {
        lock (_gate)
        {
            if (Get<V1Namespace>(null, name) is { } existing)
            {
                return existing;
            }

            var created = (V1Namespace)CreateLocked(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } }, dryRun: false);
            Deliver();
            return created;
        }
    }

    /// <inheritdoc />
    public async Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        (T)await CreateObjectAsync(obj, dryRun: false, cancellationToken).ConfigureAwait(false);

    /// <summary>Create for any served kind, with <c>dryRun</c> (everything but the commit).</summary>
    public async Task<IKubernetesObject<V1ObjectMeta>> CreateObjectAsync(IKubernetesObject<V1ObjectMeta> obj, bool dryRun, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var served = Resources.For(obj);
        obj = Stored(obj);
        var resource = Resources.For(obj);
        var copy = (IKubernetesObject<V1ObjectMeta>)KubeJson.Clone(obj, resource.ModelType);
        copy.Metadata ??= new V1ObjectMeta();
        if (string.IsNullOrEmpty(copy.Metadata.Name) && string.IsNullOrEmpty(copy.Metadata.GenerateName))
        {
            throw Invalid(resource, copy.Metadata.Name ?? string.Empty, "metadata.name", "Required value: name or generateName is required");
        }

        lock (_gate)
        {
            CheckNamespace(resource, copy);
        }

        if (copy is V1Pod pod && _admission.HasWork)
        {
            copy = await _admission.AdmitAsync(pod, dryRun, cancellationToken).ConfigureAwait(false);
        }

        lock (_gate)
        {
            var created = CreateLocked(copy, dryRun);
            Deliver();
            return EventConversion.View(served, created);
        }
    }

    /// <inheritdoc />
    public T? Get<T>(string? namespaceName, string name)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var resource = ResourceRegistry.ForType(typeof(T));
        lock (_gate)
        {
            var stored = Store(resource).Get(namespaceName, name);
            return stored is null ? null : (T)EventConversion.View(resource, stored);
        }
    }

    /// <summary>The stored object of the resource, or null.</summary>
    public IKubernetesObject<V1ObjectMeta>? GetObject(ResourceType resource, string? namespaceName, string name)
    {
        ArgumentNullException.ThrowIfNull(resource);
        lock (_gate)
        {
            return Store(resource).Get(namespaceName, name) is { } stored ? EventConversion.View(resource, stored) : null;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<T> List<T>(string? namespaceName = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        lock (_gate)
        {
            if (typeof(T) == typeof(Eventsv1Event))
            {
                return (IReadOnlyList<T>)(object)Store(typeof(T)).List<Corev1Event>(namespaceName).Select(EventConversion.ToEvents).ToArray();
            }

            return Store(typeof(T)).List<T>(namespaceName);
        }
    }

    /// <summary>The stored objects of the resource (key order) and the resourceVersion they are consistent with.</summary>
    public (IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Items, long ResourceVersion) ListObjects(ResourceType resource, string? namespaceName)
    {
        ArgumentNullException.ThrowIfNull(resource);
        lock (_gate)
        {
            var items = Store(resource).ListUntyped(namespaceName);
            return (resource.StoredType == resource.ModelType ? items : items.Select(i => EventConversion.View(resource, i)).ToList(), _resourceVersion);
        }
    }

    /// <inheritdoc />
    public T Update<T>(T obj)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        (T)UpdateObject(obj, UpdateScope.Everything, dryRun: false);

    /// <summary>Replace for any served kind: the whole object, the main resource (status kept) or the status subresource only.</summary>
    public IKubernetesObject<V1ObjectMeta> UpdateObject(IKubernetesObject<V1ObjectMeta> obj, UpdateScope scope, bool dryRun)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var served = Resources.For(obj);
        obj = Stored(obj);
        var resource = Resources.For(obj);
        var copy = (IKubernetesObject<V1ObjectMeta>)KubeJson.Clone(obj, resource.ModelType);
        lock (_gate)
        {
            var result = UpdateLocked(copy, scope, dryRun);
            Deliver();
            return EventConversion.View(served, result);
        }
    }

    /// <inheritdoc />
    public T? Mutate<T>(string? namespaceName, string name, Func<T, bool> change)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(change);
        var resource = ResourceRegistry.ForType(typeof(T));
        lock (_gate)
        {
            var stored = Store(resource).Get(namespaceName, name);
            if (stored is null)
            {
                return null;
            }

            var existing = (T)EventConversion.View(resource, stored);
            var copy = KubeJson.Clone(existing);
            if (!change(copy))
            {
                return existing;
            }

            copy.Metadata.ResourceVersion = stored.Metadata.ResourceVersion;
            var result = UpdateLocked(Stored(copy), UpdateScope.Everything, dryRun: false);
            Deliver();
            return (T)EventConversion.View(resource, result);
        }
    }

    /// <inheritdoc />
    public IDisposable Subscribe(Action<ClusterChange> onChange)
    {
        ArgumentNullException.ThrowIfNull(onChange);
        lock (_gate)
        {
            _subscribers = [.. _subscribers, onChange];
        }

        return new Unsubscriber(() =>
        {
            lock (_gate)
            {
                _subscribers = _subscribers.Where(s => s != onChange).ToArray();
            }
        });
    }

    internal static ApiException NotFound(ResourceType resource, string name) =>
        new(404, "NotFound", $"{resource.GroupResource} \"{name}\" not found") { Details = (name, resource.Group, resource.Plural) };

    internal static ApiException Invalid(ResourceType resource, string name, string field, string message) =>
        new(422, "Invalid", $"{resource.Kind} \"{name}\" is invalid: {field}: {message}")
        {
            Details = (name, resource.Group, resource.Kind),
            Causes = [new ApiStatusCause("FieldValueInvalid", message, field)],
        };

    internal static ApiException Conflict(ResourceType resource, string name) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {resource.GroupResource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again")
        {
            Details = (name, resource.Group, resource.Plural),
        };

    internal KindStore Store(Type modelType) => Store(ResourceRegistry.ForType(modelType));

    internal KindStore Store(ResourceType resource)
    {
        var key = StorageKey(resource);
        if (_stores.TryGetValue(key, out var store))
        {
            return store;
        }

        if (!resource.IsCustom)
        {
            throw new ApiException(404, "NotFound", $"the server does not serve {resource.GroupResource}");
        }

        store = new KindStore(resource);
        _stores[key] = store;
        return store;
    }

    /// <summary>Every version of a resource shares one store, as etcd keeps one copy per object; both Event APIs share one.</summary>
    private static string StorageKey(ResourceType resource) =>
        resource.StoredType == typeof(Corev1Event) ? "/events" : resource.Group + "/" + resource.Plural;

    /// <summary>The object in its storage form: an events.k8s.io/v1 Event becomes the core/v1 Event it is stored as.</summary>
    private static IKubernetesObject<V1ObjectMeta> Stored(IKubernetesObject<V1ObjectMeta> obj) =>
        obj is Eventsv1Event e ? EventConversion.ToCore(KubeJson.Clone(e)) : obj;

    /// <summary>Stores a system-made status change (disruption controller) without the optimistic concurrency check.</summary>
    internal void CommitSystemUpdate(IKubernetesObject<V1ObjectMeta> copy)
    {
        copy.Metadata.ResourceVersion = null;
        UpdateLocked(copy, UpdateScope.Everything, dryRun: false);
    }

    private static PropertyInfo? SpecProperty(Type type) => SpecProperties.GetOrAdd(type, t => t.GetProperty("Spec"));

    private static PropertyInfo? StatusProperty(Type type) => StatusProperties.GetOrAdd(type, t => t.GetProperty("Status"));

    private static bool SameJson(object? a, object? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        return KubeJson.ToUtf8(a).AsSpan().SequenceEqual(KubeJson.ToUtf8(b));
    }

    private static DateTime Seconds(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    private static bool IsValidName(ResourceType resource, string name)
    {
        if (resource.Group == "rbac.authorization.k8s.io")
        {
            return name.Length > 0 && !name.Contains('/', StringComparison.Ordinal) && name is not "." and not "..";
        }

        var max = resource.ModelType == typeof(V1Namespace) ? 63 : 253;
        return name.Length <= max && ValidName().IsMatch(name);
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")]
    private static partial Regex ValidName();

    private void CheckNamespace(ResourceType resource, IKubernetesObject<V1ObjectMeta> obj)
    {
        if (!resource.Namespaced)
        {
            obj.Metadata.NamespaceProperty = null;
            return;
        }

        if (string.IsNullOrEmpty(obj.Metadata.NamespaceProperty))
        {
            throw Invalid(resource, obj.Metadata.Name ?? string.Empty, "metadata.namespace", "Required value");
        }

        var ns = Store(typeof(V1Namespace)).Get(null, obj.Metadata.NamespaceProperty);
        if (ns is null)
        {
            throw NotFound(ResourceRegistry.ForType(typeof(V1Namespace)), obj.Metadata.NamespaceProperty);
        }

        if (ns.Metadata.DeletionTimestamp is not null)
        {
            throw new ApiException(403, "Forbidden", $"{resource.GroupResource} \"{obj.Metadata.Name ?? obj.Metadata.GenerateName}\" is forbidden: unable to create new content in namespace {ns.Metadata.Name} because it is being terminated");
        }
    }

    private IKubernetesObject<V1ObjectMeta> CreateLocked(IKubernetesObject<V1ObjectMeta> copy, bool dryRun)
    {
        var resource = Resources.For(copy);
        CheckNamespace(resource, copy);
        var store = Store(resource);
        var meta = copy.Metadata;
        if (string.IsNullOrEmpty(meta.Name))
        {
            do
            {
                meta.Name = meta.GenerateName + string.Concat(Enumerable.Range(0, 5).Select(_ => NameAlphabet[Random.Shared.Next(NameAlphabet.Length)]));
            }
            while (store.Get(meta.NamespaceProperty, meta.Name) is not null);
        }

        if (!IsValidName(resource, meta.Name))
        {
            throw Invalid(resource, meta.Name, "metadata.name", $"Invalid value: \"{meta.Name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
        }

        if (store.Get(meta.NamespaceProperty, meta.Name) is not null)
        {
            throw new ApiException(409, "AlreadyExists", $"{resource.GroupResource} \"{meta.Name}\" already exists") { Details = (meta.Name, resource.Group, resource.Plural) };
        }

        copy.ApiVersion = resource.ApiVersion;
        copy.Kind = resource.Kind;
        if (copy is V1CustomResourceDefinition definition)
        {
            CustomResourceDefinitions.Validate(definition);
            CustomResourceDefinitions.Establish(definition, Seconds(Time.GetUtcNow()));
        }

        meta.Uid = Guid.NewGuid().ToString();
        meta.CreationTimestamp = Seconds(Time.GetUtcNow());
        meta.DeletionTimestamp = null;
        meta.DeletionGracePeriodSeconds = null;
        meta.ManagedFields = null;
        meta.Generation = SpecProperty(resource.ModelType) is null ? null : 1;
        ObjectDefaults.Apply(copy);
        if (copy is V1Service service && string.IsNullOrEmpty(service.Spec.ClusterIP) && service.Spec.Type != "ExternalName")
        {
            var address = _nextServiceAddress++;
            service.Spec.ClusterIP = $"10.96.{address / 250}.{(address % 250) + 1}";
            service.Spec.ClusterIPs = [service.Spec.ClusterIP];
        }

        if (dryRun)
        {
            return copy;
        }

        meta.ResourceVersion = NextVersion();
        Commit(ClusterChangeType.Added, copy);
        return copy;
    }

    private IKubernetesObject<V1ObjectMeta> UpdateLocked(IKubernetesObject<V1ObjectMeta> copy, UpdateScope scope, bool dryRun)
    {
        var resource = Resources.For(copy);
        var meta = copy.Metadata ?? throw Invalid(resource, string.Empty, "metadata", "Required value");
        if (resource.Namespaced && string.IsNullOrEmpty(meta.NamespaceProperty))
        {
            throw Invalid(resource, meta.Name ?? string.Empty, "metadata.namespace", "Required value");
        }

        var existing = Store(resource).Get(resource.Namespaced ? meta.NamespaceProperty : null, meta.Name ?? string.Empty)
            ?? throw NotFound(resource, meta.Name ?? string.Empty);
        if (!string.IsNullOrEmpty(meta.ResourceVersion) && meta.ResourceVersion != existing.Metadata.ResourceVersion)
        {
            throw Conflict(resource, meta.Name!);
        }

        var status = StatusProperty(resource.ModelType);
        if (scope == UpdateScope.StatusOnly && status is not null)
        {
            var merged = (IKubernetesObject<V1ObjectMeta>)KubeJson.Clone(existing, resource.ModelType);
            status.SetValue(merged, status.GetValue(copy));
            copy = merged;
            meta = copy.Metadata;
        }
        else if (scope == UpdateScope.MainOnly && resource.HasStatus && status is not null)
        {
            status.SetValue(copy, status.GetValue(KubeJson.Clone(existing, resource.ModelType)));
        }

        copy.ApiVersion = resource.ApiVersion;
        copy.Kind = resource.Kind;
        meta.NamespaceProperty = existing.Metadata.NamespaceProperty;
        meta.Uid = existing.Metadata.Uid;
        meta.CreationTimestamp = existing.Metadata.CreationTimestamp;
        meta.DeletionTimestamp = existing.Metadata.DeletionTimestamp;
        meta.DeletionGracePeriodSeconds = existing.Metadata.DeletionGracePeriodSeconds;
        meta.Generation = existing.Metadata.Generation;
        meta.ResourceVersion = existing.Metadata.ResourceVersion;
        ObjectDefaults.Apply(copy);
        if (copy is V1CustomResourceDefinition definition && meta.DeletionTimestamp is null)
        {
            CustomResourceDefinitions.Validate(definition);
            CustomResourceDefinitions.Establish(definition, Seconds(Time.GetUtcNow()));
        }
        if (copy is V1Pod pod && existing is V1Pod before && !string.IsNullOrEmpty(before.Spec.NodeName) && pod.Spec.NodeName != before.Spec.NodeName)
        {
            throw Invalid(resource, meta.Name!, "spec.nodeName", "Forbidden: pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing tolerations) or `spec.terminationGracePeriodSeconds`");
        }

        var spec = SpecProperty(resource.ModelType);
        if (spec is not null && !SameJson(spec.GetValue(copy), spec.GetValue(existing)))
        {
            meta.Generation = (existing.Metadata.Generation ?? 0) + 1;
        }

        if (meta.DeletionTimestamp is not null && (meta.Finalizers is null || meta.Finalizers.Count == 0) &&
            (copy is not V1Pod || meta.DeletionGracePeriodSeconds is null or 0))
        {
            if (dryRun)
            {
                return copy;
            }

            meta.ResourceVersion = NextVersion();
            Commit(ClusterChangeType.Deleted, copy);
            return copy;
        }

        if (SameJson(copy, existing))
        {
            return existing;
        }

        if (dryRun)
        {
            return copy;
        }

        meta.ResourceVersion = NextVersion();
        Commit(ClusterChangeType.Modified, copy);
        return copy;
    }

    /// <summary>An established definition is served at once; a deleted one takes its objects with it.</summary>
    private void Serve(ClusterChangeType type, V1CustomResourceDefinition definition)
    {
        var group = definition.Spec.Group;
        var plural = definition.Spec.Names.Plural;
        if (type != ClusterChangeType.Deleted)
        {
            Resources.Define(group, plural, CustomResourceDefinitions.Resources(definition));
            return;
        }

        var key = group + "/" + plural;
        if (_stores.Remove(key, out var store))
        {
            foreach (var obj in store.ListUntyped(null))
            {
                var gone = (IKubernetesObject<V1ObjectMeta>)KubeJson.Clone(obj, typeof(CustomObject));
                gone.Metadata.ResourceVersion = NextVersion();
                var change = new ClusterChange(ClusterChangeType.Deleted, gone, _resourceVersion);
                _history.Append(change);
                _undelivered.Enqueue(change);
            }
        }

        Resources.Forget(group, plural);
    }

    private string NextVersion() => (++_resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void Commit(ClusterChangeType type, IKubernetesObject<V1ObjectMeta> stored)
    {
        var store = Store(Resources.For(stored));
        if (type == ClusterChangeType.Deleted)
        {
            store.Remove(stored.Metadata.NamespaceProperty, stored.Metadata.Name);
        }
        else
        {
            store.Put(stored);
        }

        var change = new ClusterChange(type, stored, _resourceVersion);
        _history.Append(change);
        _undelivered.Enqueue(change);
        _disruptionBudgets.OnChange(change);
        if (stored is V1CustomResourceDefinition definition)
        {
            Serve(type, definition);
        }
    }

    /// <summary>Hands undelivered changes to subscribers in commit order; nested writes queue behind the current one.</summary>
    private void Deliver()
    {
        if (_delivering)
        {
            return;
        }

        _delivering = true;
        try
        {
            while (_undelivered.TryDequeue(out var change))
            {
                foreach (var subscriber in _subscribers)
                {
                    try
                    {
                        subscriber(change);
                    }
                    catch (Exception ex) when (ex is not OutOfMemoryException)
                    {
                        _logger?.ChangeSubscriberFailed(ex, change.Type, change.Object.Kind, change.Object.Metadata.Name);
                    }
                }
            }
        }
        finally
        {
            _delivering = false;
        }
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                dispose();
            }
        }
    }
}
