using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Attune.Infrastructure.Crypto;
using Attune.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Attune.Tests.Privacy;

public sealed class EncryptionTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    [Fact]
    public async Task WhatAPersonWrites_IsStoredEncrypted_AndReadsBackThroughTheApi()
    {
        const string canary = "Plaintext Canary Heron 3307";
        var person = await app.RegisterAsync(canary);
        var stored = await app.WithDbAsync(db => db.Database
            .SqlQuery<byte[]>($"SELECT \"DisplayNameSealed\" AS \"Value\" FROM \"AspNetUsers\" WHERE \"Id\" = {person.Id}").SingleAsync());
        Assert.True(stored.AsSpan().IndexOf(Encoding.UTF8.GetBytes(canary)) < 0, "The column holds the plaintext");
        Assert.True(stored.Length > canary.Length + 28, "Expected version, nonce and tag around the ciphertext");

        var me = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal(canary, me.GetProperty("displayName").GetString());

        if (!app.IsPostgres)
            Assert.False(PrivacyApiTests.FileContains(app.SqliteFile, Encoding.UTF8.GetBytes(canary)) || PrivacyApiTests.FileContains(app.SqliteFile + "-wal", Encoding.UTF8.GetBytes(canary)));
        else
            Assert.Equal(0, await app.WithDbAsync(db => db.Database.SqlQuery<int>(
                $"SELECT count(*)::int AS \"Value\" FROM \"AspNetUsers\" WHERE position(convert_to({canary}, 'UTF8') in \"DisplayNameSealed\") > 0").SingleAsync()));
    }

    [Fact]
    public async Task ASealedValue_MovedToAnotherRowFieldOrPerson_FailsToOpen()
    {
        var a = await app.RegisterAsync();
        var b = await app.RegisterAsync();
        await app.WithDbAsync(async db =>
        {
            var value = await db.SealAsync(a.Id, "journal", "row-1", "text", "what happened when I was seven");
            Assert.Equal("what happened when I was seven", await db.OpenAsync(a.Id, "journal", "row-1", "text", value));
            await Assert.ThrowsAnyAsync<CryptographicException>(() => db.OpenAsync(a.Id, "journal", "row-2", "text", value));
            await Assert.ThrowsAnyAsync<CryptographicException>(() => db.OpenAsync(a.Id, "journal", "row-1", "title", value));
            await Assert.ThrowsAnyAsync<CryptographicException>(() => db.OpenAsync(a.Id, "letters", "row-1", "text", value));
            await Assert.ThrowsAnyAsync<CryptographicException>(() => db.OpenAsync(b.Id, "journal", "row-1", "text", value));
            return 0;
        });
    }

    [Fact]
    public async Task EachPerson_HasTheirOwnDataKey_WrappedByTheMasterKey()
    {
        var a = await app.RegisterAsync();
        var b = await app.RegisterAsync();
        var keys = await app.WithDbAsync(db => db.PersonKeys.AsNoTracking().Where(k => k.UserId == a.Id || k.UserId == b.Id).ToListAsync());
        Assert.Equal(2, keys.Count);
        Assert.False(keys[0].WrappedKey.AsSpan().SequenceEqual(keys[1].WrappedKey));
        var ring = app.Service<MasterKeyRing>();
        Assert.All(keys, k => Assert.Equal(32, ring.Unwrap(k.MasterKeyVersion, k.WrappedKey, Vault.KeyContext(k.UserId)).Length));
        // A wrapped key copied to another person does not unwrap for them.
        Assert.ThrowsAny<CryptographicException>(() => ring.Unwrap(keys[0].MasterKeyVersion, keys[0].WrappedKey, Vault.KeyContext(keys[1].UserId)));
    }

    [Fact]
    public void MasterKeyFile_IsCreatedOnFirstRun_ReadableOnlyByItsOwner()
    {
        var path = Path.Combine(app.DataDirectory, "master.key");
        Assert.True(File.Exists(path));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }
}

/// <summary>Rotation gets its own app: it changes the master key file.</summary>
public sealed class KeyRotationTests : IAsyncLifetime
{
    private readonly AttuneApp _app = new();

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_app).DisposeAsync();

    [Fact]
    public async Task RotatingTheMasterKey_RewrapsEveryDataKey_WithoutTouchingContent()
    {
        var person = await _app.RegisterAsync("Rotation Canary");
        var vapidBefore = (await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/push/key")).GetProperty("publicKey").GetString();
        var before = await _app.WithDbAsync(async db => (
            Key: await db.PersonKeys.AsNoTracking().SingleAsync(k => k.UserId == person.Id),
            Name: await db.Users.AsNoTracking().Where(u => u.Id == person.Id).Select(u => u.DisplayNameSealed).SingleAsync()));

        var ring = _app.Service<MasterKeyRing>();
        var oldVersion = ring.CurrentId;
        ring.AddKeyToFile();
        var count = await _app.WithDbAsync(db => KeyRotation.RewrapAsync(db, ring, db.Vault));
        Assert.True(count >= 1);

        var after = await _app.WithDbAsync(async db => (
            Key: await db.PersonKeys.AsNoTracking().SingleAsync(k => k.UserId == person.Id),
            Name: await db.Users.AsNoTracking().Where(u => u.Id == person.Id).Select(u => u.DisplayNameSealed).SingleAsync(),
            StaleDp: await db.DataProtectionKeys.CountAsync(k => k.MasterKeyVersion != ring.CurrentId),
            Vapid: await db.Set<Infrastructure.Push.AppSecret>().AsNoTracking().SingleAsync(s => s.Name == Infrastructure.Push.VapidKeys.Name)));
        Assert.Equal(oldVersion + 1, after.Key.MasterKeyVersion);
        Assert.Equal(ring.CurrentId, after.Vapid.MasterKeyVersion);
        Assert.False(before.Key.WrappedKey.AsSpan().SequenceEqual(after.Key.WrappedKey));
        Assert.True(Sealed.Same(before.Name, after.Name), "Content ciphertext must not change on rotation");
        Assert.Equal(0, after.StaleDp);

        // A fresh ring that no longer holds the old key still opens everything.
        var file = MasterKeyRing.Parse(await File.ReadAllTextAsync(ring.FilePath!));
        file.Remove(oldVersion);
        var onlyNew = new MasterKeyRing(file, null);
        Assert.Equal(32, onlyNew.Unwrap(after.Key.MasterKeyVersion, after.Key.WrappedKey, Vault.KeyContext(person.Id)).Length);
        // The VAPID key too: the same key, so browsers' subscriptions keep working.
        using var vapid = System.Security.Cryptography.ECDsa.Create();
        vapid.ImportECPrivateKey(onlyNew.Unwrap(after.Vapid.MasterKeyVersion, after.Vapid.Value, Infrastructure.Push.AppSecret.Context(Infrastructure.Push.VapidKeys.Name)), out _);
        Assert.Equal(vapidBefore, new Infrastructure.Push.Vapid(vapid, "mailto:x@example.test").PublicKey);

        var me = await person.Api.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal("Rotation Canary", me.GetProperty("displayName").GetString());
        await Expect.StatusAsync(await person.Api.GetAsync("/api/v1/me/export"), HttpStatusCode.OK);
    }
}
