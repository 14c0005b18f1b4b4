using System.Diagnostics.CodeAnalysis;

namespace Degradation;

/// <summary>
/// A group of options that is frozen once a degradation system is created from it: the system runs on a validated
/// copy, and the copy it exposes refuses changes (a change there would silently do nothing).
/// </summary>
[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] // validated by reflection over its attributes
public abstract class OptionsSection
{
    private bool _frozen;

    /// <summary>True for the copy a running system exposes; its setters throw.</summary>
    public bool IsFrozen => _frozen;

    /// <summary>Returns <paramref name="value"/> for a setter, or throws when these options are frozen.</summary>
    /// <exception cref="InvalidOperationException">The options belong to a running system.</exception>
    protected T Settable<T>(T value)
    {
        if (_frozen)
            throw new InvalidOperationException(
                $"These {GetType().Name} belong to a running degradation system and are frozen: options are validated once, when the system is created. "
                + "Change the options before creating the system (or restart it with new ones).");
        return value;
    }

    /// <summary>
    /// A deep copy that shares nothing mutable with this one; <paramref name="frozen"/> makes it (and every section and
    /// entry in it) refuse changes.
    /// </summary>
    internal OptionsSection Copy(bool frozen)
    {
        var copy = (OptionsSection)MemberwiseClone();
        copy._frozen = false; // writable while its members are replaced with copies
        copy.CopyMembers(frozen);
        copy._frozen = frozen;
        return copy;
    }

    /// <summary>Replaces each section or collection of a fresh <see cref="object.MemberwiseClone"/> with a copy of its own.</summary>
    private protected virtual void CopyMembers(bool frozen)
    {
    }
}
