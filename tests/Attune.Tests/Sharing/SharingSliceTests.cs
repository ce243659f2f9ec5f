using System.Net.Http.Json;
using Attune.Features.Care;
using Attune.Features.Circle;
using Attune.Features.Sharing;
using Attune.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Attune.Tests.Sharing;

/// <summary>
/// Sharing is a slice of its own: the kinds of item and the channels are registered by the slices
/// that own them, each channel brings its own column and cascade, and the share service stays small.
/// </summary>
public sealed class SharingSliceTests(AttuneApp app) : IClassFixture<AttuneApp>
{
    [Fact]
    public void ItemTypesAndChannels_AreRegisteredByTheirOwnSlices_AndTheShareServiceStaysSmall()
    {
        using var scope = app.Services.CreateScope();
        var items = scope.ServiceProvider.GetServices<IShareableItems>().ToList();
        Assert.Equal(
            new[] { ("checkin", "Attune.Features.Assessments"), ("journal", "Attune.Features.Journal"), ("practice", "Attune.Features.Journey") },
            items.Select(i => (i.Type, i.GetType().Namespace!)).Order());

        // The circle is asked first: someone who is both in my circle and my therapist is reached through the circle.
        // A group is reached by its own name ("group:{id}"), so its place in the order changes nothing.
        var channels = scope.ServiceProvider.GetServices<IShareChannel>().ToList();
        Assert.Equal(new[] { ("MemberId", "Attune.Features.Circle"), ("CareId", "Attune.Features.Care"), ("GroupId", "Attune.Features.Groups.Board") },
            channels.Select(c => (c.LinkProperty, c.GetType().Namespace!)));

        var share = scope.ServiceProvider.GetRequiredService<Attune.Data.AttuneDb>().Model.FindEntityType(typeof(Share))!;
        foreach (var (property, principal) in new[] { ("MemberId", typeof(CircleMember)), ("CareId", typeof(CareRelationship)), ("GroupId", typeof(Attune.Features.Groups.Group)) })
        {
            var fk = Assert.Single(share.GetForeignKeys(), k => k.Properties.Single().Name == property);
            Assert.Equal(principal, fk.PrincipalEntityType.ClrType);
            Assert.Equal(DeleteBehavior.Cascade, fk.DeleteBehavior);
            Assert.True(fk.Properties.Single().IsShadowProperty(), $"{property} should be the channel's own (shadow) column, not a property of Share.");
            Assert.Contains(share.GetIndexes(), i => i.IsUnique && i.Properties.Select(p => p.Name).SequenceEqual([property, nameof(Share.ItemType), nameof(Share.ItemId)]));
        }

        Assert.InRange(typeof(Shares).GetConstructors().Single().GetParameters().Length, 1, 6);
    }

    [Fact]
    public async Task AnUnknownItemType_AnswersAProblemNamingTheField_AndListingEveryRegisteredType()
    {
        var owner = await app.RegisterAsync();
        var supporter = await app.RegisterAsync();
        await Circles.JoinAsync(app, owner, supporter, "Sup");
        var problem = await Expect.ProblemNamingAsync(
            await owner.Api.PostAsJsonAsync("/api/v1/shares", new { itemType = "activation", itemId = Guid.NewGuid(), withUserId = supporter.Id }), "itemType");
        Assert.Contains("checkin, journal or practice", problem.ToString());
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Share>().CountAsync(s => s.OwnerId == owner.Id)));
    }
}
