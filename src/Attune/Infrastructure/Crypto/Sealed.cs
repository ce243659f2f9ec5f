using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Attune.Infrastructure.Crypto;

/// <summary>
/// Text a person wrote, encrypted under their data key. Entities declare personal text as
/// <see cref="Sealed"/>: the only way to make one is <see cref="Vault.SealAsync"/>, so plaintext
/// cannot reach a column by mistake.
/// </summary>
public sealed class Sealed
{
    internal Sealed(byte[] bytes) => Bytes = bytes;

    internal byte[] Bytes { get; }

    internal static bool Same(Sealed? a, Sealed? b) =>
        ReferenceEquals(a, b) || (a is not null && b is not null && a.Bytes.AsSpan().SequenceEqual(b.Bytes));

    internal sealed class Converter() : ValueConverter<Sealed, byte[]>(s => s.Bytes, b => new Sealed(b));

    internal sealed class Comparer() : ValueComparer<Sealed>(
        (a, b) => Same(a, b),
        s => s.Bytes.Length,
        s => s);
}
