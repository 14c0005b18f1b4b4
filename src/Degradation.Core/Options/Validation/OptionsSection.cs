using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Degradation;

/// <summary>
/// A group of options that is frozen once the component using it is created (a degradation system, a fallback chain, a
/// classifier, an alert router): the component runs on a validated copy, and the copy it exposes refuses changes (a
/// change there would silently do nothing). In the frozen copy every setter throws and every list or map is read-only.
/// </summary>
[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] // validated by reflection over its attributes
public abstract class OptionsSection
{
    private bool _frozen;
    private string _keyPath = "";

    /// <summary>True for the copy a running component exposes; its setters throw and its lists and maps are read-only.</summary>
    public bool IsFrozen => _frozen;

    /// <summary>Returns <paramref name="value"/> for a setter, or throws naming the key when these options are frozen.</summary>
    /// <param name="value">The value being set.</param>
    /// <param name="key">The property being set (filled in by the compiler).</param>
    /// <exception cref="InvalidOperationException">The options belong to a running component.</exception>
    protected T Settable<T>(T value, [CallerMemberName] string key = "")
    {
        if (_frozen)
            throw new InvalidOperationException(
                $"{KeyOf(key)} cannot be changed: these {GetType().Name} belong to a running component and are frozen (options are "
                + "validated once, when the component is created). Change the options before creating it, or create it again with new ones.");
        return value;
    }

    /// <summary>
    /// A deep copy that shares nothing mutable with this one; <paramref name="frozen"/> makes it (and every section and
    /// entry in it) refuse changes. <paramref name="keyPath"/> is where the copy sits in configuration
    /// (<c>Degradation:Recovery</c>), named by a frozen copy's errors.
    /// </summary>
    internal OptionsSection Copy(bool frozen, string keyPath = "")
    {
        var copy = (OptionsSection)MemberwiseClone();
        copy._frozen = false; // writable while its members are replaced with copies
        copy._keyPath = keyPath;
        copy.CopyMembers(frozen);
        copy._frozen = frozen;
        return copy;
    }

    /// <summary>This object when it is frozen already, else a frozen copy: what a component keeps after validating it.</summary>
    internal T Frozen<T>() where T : OptionsSection => (T)(_frozen ? this : Copy(frozen: true, _keyPath));

    /// <summary>Replaces each section or collection of a fresh <see cref="object.MemberwiseClone"/> with a copy of its own.</summary>
    private protected virtual void CopyMembers(bool frozen)
    {
    }

    /// <summary>A copy of the nested <paramref name="section"/> at <c>this:<paramref name="name"/></c>; null stays null.</summary>
    [return: NotNullIfNotNull(nameof(section))]
    private protected T? CopyOf<T>(T? section, bool frozen, string name) where T : OptionsSection =>
        section is null ? null : (T)section.Copy(frozen, KeyOf(name));

    /// <summary>A copy of <paramref name="list"/> whose items are mapped by <paramref name="item"/>; read-only when frozen. Null stays null (validation names it).</summary>
    [return: NotNullIfNotNull(nameof(list))]
    private protected static IList<T>? CopyOf<T>(IList<T>? list, bool frozen, Func<T, int, T>? item = null)
    {
        if (list is null) return null;
        var copy = new List<T>(list.Count);
        for (var i = 0; i < list.Count; i++) copy.Add(item is null ? list[i] : item(list[i], i));
        return frozen ? copy.AsReadOnly() : copy;
    }

    /// <summary>A copy of <paramref name="map"/> (keeping its key comparer) whose values are mapped by <paramref name="value"/>; read-only when frozen. Null stays null.</summary>
    [return: NotNullIfNotNull(nameof(map))]
    private protected static IDictionary<TKey, TValue>? CopyOf<TKey, TValue>(IDictionary<TKey, TValue>? map, bool frozen, Func<TKey, TValue, TValue>? value = null)
        where TKey : notnull
    {
        if (map is null) return null;
        var copy = new Dictionary<TKey, TValue>(map.Count, (map as Dictionary<TKey, TValue>)?.Comparer);
        foreach (var (k, v) in map) copy.Add(k, value is null ? v : value(k, v));
        return frozen ? new ReadOnlyDictionary<TKey, TValue>(copy) : copy;
    }

    /// <summary>A copy of <paramref name="set"/> (keeping its comparer); read-only when frozen. Null stays null.</summary>
    [return: NotNullIfNotNull(nameof(set))]
    private protected static ISet<T>? CopyOf<T>(ISet<T>? set, bool frozen)
    {
        if (set is null) return null;
        var copy = new HashSet<T>(set, (set as HashSet<T>)?.Comparer);
        return frozen ? new ReadOnlySet<T>(copy) : copy;
    }

    /// <summary>The key path of member <paramref name="name"/> of these options.</summary>
    private protected string KeyOf(string name) => _keyPath.Length == 0 ? name : $"{_keyPath}:{name}";
}
