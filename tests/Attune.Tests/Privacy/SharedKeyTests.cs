using System.Security.Cryptography;
using Attune.Data;
using Attune.Infrastructure.Crypto;
using Attune.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Attune.Tests.Privacy;

/// <summary>
/// One key for N holders, with epochs: on whichever database the run uses (SQLite, or PostgreSQL
/// with ATTUNE_TEST_DATABASE=postgres), since the copies, epochs and rotation races live there.
/// </summary>
public sealed class SharedKeyTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    private const string Table = "test_messages";

    private async Task<T> WithKeysAsync<T>(Func<SharedKeys, AttuneDb, Task<T>> work)
    {
        using var scope = app.Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<SharedKeys>(), scope.ServiceProvider.GetRequiredService<AttuneDb>());
    }

    private async Task<SharedKey?> OpenAsync(Guid keyId, string holderId) => await WithKeysAsync((k, _) => k.OpenAsync(keyId, holderId));

    private static List<string> Sorted(params string[] ids) => [.. ids.Order(StringComparer.Ordinal)];

    private async Task<string[]> PeopleAsync(int count)
    {
        var ids = new string[count];
        for (var i = 0; i < count; i++) ids[i] = (await app.RegisterAsync()).Id;
        return ids;
    }

    [Fact]
    public async Task EveryHolder_OpensWhatAnotherSealed_AndSomeoneWhoHoldsNothing_OpensNothing()
    {
        var (keyId, otherKeyId) = (Guid.NewGuid(), Guid.NewGuid());
        var p = await PeopleAsync(4);
        await WithKeysAsync((k, _) => k.CreateAsync(keyId, [p[0], p[1], p[2]]));
        await WithKeysAsync((k, _) => k.CreateAsync(otherKeyId, [p[0], p[3]]));

        var first = (await OpenAsync(keyId, p[0]))!;
        Assert.Equal(1, first.Epoch);
        var text = first.Seal(Table, "m1", "body", "I'm glad you're here");
        Assert.Equal("I'm glad you're here", (await OpenAsync(keyId, p[1]))!.Open(Table, "m1", "body", text));
        Assert.Equal("I'm glad you're here", (await OpenAsync(keyId, p[2]))!.Open(Table, "m1", "body", text));
        Assert.Equal(Sorted(p[0], p[1], p[2]), await WithKeysAsync((k, _) => k.HoldersAsync(keyId)));

        // Not a holder: nothing to open with. Holding another key: it does not open this one's words.
        Assert.Null(await OpenAsync(keyId, p[3]));
        var other = (await OpenAsync(otherKeyId, p[3]))!;
        Assert.ThrowsAny<CryptographicException>(() => other.Open(Table, "m1", "body", text));
        // Bound to its place: the same value moved to another row or field does not open.
        Assert.ThrowsAny<CryptographicException>(() => first.Open(Table, "m2", "body", text));
        Assert.ThrowsAny<CryptographicException>(() => first.Open(Table, "m1", "title", text));
    }

    [Fact]
    public async Task ARemovedHolder_OpensNothingWrittenAfterRemoval_EvenWithTheKeyTheyHadBefore()
    {
        var keyId = Guid.NewGuid();
        var p = await PeopleAsync(3);
        await WithKeysAsync((k, _) => k.CreateAsync(keyId, p));
        var before = (await OpenAsync(keyId, p[0]))!.Seal(Table, "m1", "body", "before");
        var keptByRemoved = (await OpenAsync(keyId, p[1]))!;

        var epoch = await WithKeysAsync((k, _) => k.RemoveHolderAsync(keyId, p[1]));
        Assert.Equal(2, epoch);
        Assert.Equal(Sorted(p[0], p[2]), await WithKeysAsync((k, _) => k.HoldersAsync(keyId)));

        var after = (await OpenAsync(keyId, p[0]))!;
        Assert.Equal(2, after.Epoch);
        var written = after.Seal(Table, "m2", "body", "after");
        Assert.Equal(2, SharedKey.EpochOf(written));
        Assert.ThrowsAny<CryptographicException>(() => keptByRemoved.Open(Table, "m2", "body", written));
        Assert.Null(await OpenAsync(keyId, p[1]));
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<SharedKeyCopy>().CountAsync(c => c.KeyId == keyId && c.HolderId == p[1])));

        // Those who remain read both sides of the removal.
        var remaining = (await OpenAsync(keyId, p[2]))!;
        Assert.Equal("before", remaining.Open(Table, "m1", "body", before));
        Assert.Equal("after", remaining.Open(Table, "m2", "body", written));
    }

    [Fact]
    public async Task Rotation_SealsNewContentUnderTheNewEpoch_AndOldContentStillOpens()
    {
        var keyId = Guid.NewGuid();
        var p = await PeopleAsync(2);
        await WithKeysAsync((k, _) => k.CreateAsync(keyId, p));
        var old = (await OpenAsync(keyId, p[0]))!;
        var first = old.Seal(Table, "m1", "body", "first");

        Assert.Equal(2, await WithKeysAsync((k, _) => k.RotateAsync(keyId)));
        var rotated = (await OpenAsync(keyId, p[1]))!;
        Assert.Equal([1, 2], rotated.Epochs);
        var second = rotated.Seal(Table, "m2", "body", "second");
        Assert.Equal(1, SharedKey.EpochOf(first));
        Assert.Equal(2, SharedKey.EpochOf(second));
        Assert.Equal("first", rotated.Open(Table, "m1", "body", first));
        Assert.Equal("second", (await OpenAsync(keyId, p[0]))!.Open(Table, "m2", "body", second));
        // A key opened before the rotation holds only epoch 1.
        Assert.ThrowsAny<CryptographicException>(() => old.Open(Table, "m2", "body", second));
    }

    [Fact]
    public async Task AnAddedHolder_ReadsFromNowOn_OrEverythingWhenGivenTheHistory()
    {
        var keyId = Guid.NewGuid();
        var p = await PeopleAsync(3);
        await WithKeysAsync((k, _) => k.CreateAsync(keyId, [p[0]]));
        var early = (await OpenAsync(keyId, p[0]))!.Seal(Table, "m1", "body", "early");
        await WithKeysAsync((k, _) => k.RotateAsync(keyId));

        await WithKeysAsync(async (k, _) => { await k.AddHolderAsync(keyId, p[1]); return 0; });
        await WithKeysAsync(async (k, _) => { await k.AddHolderAsync(keyId, p[2], withHistory: true); return 0; });
        var late = (await OpenAsync(keyId, p[0]))!.Seal(Table, "m2", "body", "late");

        var fromNow = (await OpenAsync(keyId, p[1]))!;
        Assert.Equal([2], fromNow.Epochs);
        Assert.Equal("late", fromNow.Open(Table, "m2", "body", late));
        Assert.ThrowsAny<CryptographicException>(() => fromNow.Open(Table, "m1", "body", early));
        var withHistory = (await OpenAsync(keyId, p[2]))!;
        Assert.Equal("early", withHistory.Open(Table, "m1", "body", early));
        Assert.Equal("late", withHistory.Open(Table, "m2", "body", late));
        Assert.Equal(Sorted(p[0], p[1], p[2]), await WithKeysAsync((k, _) => k.HoldersAsync(keyId)));

        // Adding someone who already holds it changes nothing.
        await WithKeysAsync(async (k, _) => { await k.AddHolderAsync(keyId, p[1]); return 0; });
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<SharedKeyCopy>().CountAsync(c => c.KeyId == keyId && c.HolderId == p[1])));
    }

    [Fact]
    public async Task AHoldersCopy_IsSealedForThemAlone_AndDeletingTheKeyLeavesNothingToOpen()
    {
        var keyId = Guid.NewGuid();
        var p = await PeopleAsync(2);
        await WithKeysAsync((k, _) => k.CreateAsync(keyId, [p[0]]));
        var value = (await OpenAsync(keyId, p[0]))!.Seal(Table, "m1", "body", "mine");

        // A copy moved to someone else's name does not open with their key.
        await app.WithDbAsync(db => db.Set<SharedKeyCopy>().Where(c => c.KeyId == keyId).ExecuteUpdateAsync(s => s.SetProperty(c => c.HolderId, p[1])));
        await Assert.ThrowsAnyAsync<CryptographicException>(() => OpenAsync(keyId, p[1]));
        await app.WithDbAsync(db => db.Set<SharedKeyCopy>().Where(c => c.KeyId == keyId).ExecuteUpdateAsync(s => s.SetProperty(c => c.HolderId, p[0])));
        Assert.Equal("mine", (await OpenAsync(keyId, p[0]))!.Open(Table, "m1", "body", value));

        await WithKeysAsync(async (k, _) => { await k.DeleteAsync(keyId); return 0; });
        Assert.Null(await OpenAsync(keyId, p[0]));
        Assert.Null(await WithKeysAsync((k, _) => k.CurrentEpochAsync(keyId)));
    }

    [Fact]
    public async Task TwoRotationsAtOnce_EachMakeTheirOwnEpoch()
    {
        var p = await PeopleAsync(3);
        // Several rounds, so the interleavings that matter come up: on PostgreSQL a rotation that commits
        // between the removal and the read of who holds the key once handed the removed holder the new epoch.
        for (var round = 0; round < 20; round++)
        {
            var keyId = Guid.NewGuid();
            await WithKeysAsync((k, _) => k.CreateAsync(keyId, p));
            var epochs = await Task.WhenAll(
                Task.Run(() => WithKeysAsync((k, _) => k.RemoveHolderAsync(keyId, p[2]))),
                Task.Run(() => WithKeysAsync((k, _) => k.RotateAsync(keyId))));
            Assert.Equal([2, 3], epochs.Order());
            // Whichever ran first, the removed holder holds no epoch at all, and the others hold the newest.
            Assert.Null(await OpenAsync(keyId, p[2]));
            Assert.Equal(Sorted(p[0], p[1]), await WithKeysAsync((k, _) => k.HoldersAsync(keyId)));
            Assert.Equal(3, (await OpenAsync(keyId, p[1]))!.Epoch);
        }
    }

    [Fact]
    public async Task AHolderAddedWhileTheKeyRotates_HoldsTheNewestEpoch()
    {
        var p = await PeopleAsync(3);
        for (var round = 0; round < 20; round++)
        {
            var keyId = Guid.NewGuid();
            await WithKeysAsync((k, _) => k.CreateAsync(keyId, [p[0], p[1]]));
            await Task.WhenAll(
                Task.Run(() => WithKeysAsync(async (k, _) => { await k.AddHolderAsync(keyId, p[2]); return 0; })),
                Task.Run(() => WithKeysAsync((k, _) => k.RemoveHolderAsync(keyId, p[1]))));
            // Whichever ran first, the one who came can read what is sealed now, and the one who left cannot.
            Assert.Equal(Sorted(p[0], p[2]), await WithKeysAsync((k, _) => k.HoldersAsync(keyId)));
            var now = (await OpenAsync(keyId, p[0]))!.Seal(Table, "m", "body", "now");
            Assert.Equal("now", (await OpenAsync(keyId, p[2]))!.Open(Table, "m", "body", now));
            Assert.Null(await OpenAsync(keyId, p[1]));
        }
    }

    [Fact]
    public async Task APairKey_IsEpochZero_SoWhatWasWrittenBeforeEpochsStillOpens()
    {
        var pairId = Guid.NewGuid();
        var p = await PeopleAsync(2);
        var (key, first, second) = await WithKeysAsync((k, _) => k.NewPairAsync("pairs", pairId, p[0], p[1]));
        Assert.Equal(0, key.Epoch);
        var asFirst = await WithKeysAsync((k, _) => k.OpenPairAsync("pairs", pairId, p[0], first));
        var asSecond = await WithKeysAsync((k, _) => k.OpenPairAsync("pairs", pairId, p[1], second));

        // Written the way conversations were written before this key had epochs...
        var epochZeroBytes = await app.WithDbAsync(db => db.OpenBytesAsync(p[0], "pairs", pairId.ToString(), "pairkey", first));
        var legacy = Vault.SealWithPairKey(epochZeroBytes, pairId, Table, "m1", "body", "from before");
        Assert.Equal("from before", asSecond.Open(Table, "m1", "body", legacy));
        // ...and what is written now reads the old way too: the format is unchanged.
        var now = asFirst.Seal(Table, "m2", "body", "from now");
        Assert.Equal(0, SharedKey.EpochOf(now));
        Assert.Equal("from now", Vault.OpenWithPairKey(epochZeroBytes, pairId, Table, "m2", "body", now));
        // Each copy opens only for its own holder.
        await Assert.ThrowsAnyAsync<CryptographicException>(() => WithKeysAsync((k, _) => k.OpenPairAsync("pairs", pairId, p[1], first)));
    }
}
