namespace Attune.Infrastructure;

/// <summary>Something that keeps a person's data in memory (decrypted) and must drop it when they are deleted.</summary>
public interface IPersonCache
{
    void Forget(string userId);
}
