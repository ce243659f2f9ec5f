using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attune.Data;
using Attune.Features.Groups;
using Attune.Infrastructure;
using Attune.Infrastructure.Crypto;
using Attune.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Attune.Tests.Groups;

/// <summary>A group made for the room's tests: the facilitator, members by the names the group sees, and one meeting.</summary>
public sealed record SeededGroup(Guid Id, Guid MeetingId, Person Facilitator, IReadOnlyList<(Person Person, Guid MemberId, string Name)> Members)
{
    public string Room => $"/api/v1/groups/{Id}/meetings/{MeetingId}/room";

    public Guid MemberIdOf(Person p) => Members.First(m => m.Person.Id == p.Id).MemberId;
}

/// <summary>
/// Sets a group up as the group's own service leaves it after people have applied, been accepted and
/// agreed (its key held by the facilitator and each member, each name sealed under it), so the
/// room's tests stand on their own; the group's API has its own tests.
/// </summary>
public static class RoomSeed
{
    public static async Task<SeededGroup> GroupAsync(AttuneApp app, Person facilitator, IReadOnlyList<(Person Person, string Name)> members, TimeSpan? startsIn = null)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AttuneDb>();
        var keys = scope.ServiceProvider.GetRequiredService<SharedKeys>();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var group = new Group
        {
            Id = SequentialGuid.Next(),
            FacilitatorId = facilitator.Id,
            FacilitatorName = "Noor",
            Title = "Meeting your younger self",
            ForWhom = "Adults who want to meet their younger self gently, in company",
            Description = "Rounds with a talking piece. We listen; nobody fixes.",
            Focus = "meeting your younger self",
            Capacity = 8,
            TimeZone = "Europe/Dublin",
            MeetingMinutes = 90,
            Join = "invite",
            CreatedAt = now,
        };
        var meeting = new GroupMeeting { Id = SequentialGuid.Next(), GroupId = group.Id, Number = 1, StartsAt = now + (startsIn ?? TimeSpan.FromMinutes(-5)), Minutes = 90 };
        db.AddRange(group, meeting);
        await db.SaveChangesAsync();
        var key = await keys.CreateAsync(group.Id, [facilitator.Id]);
        var seeded = new List<(Person, Guid, string)>();
        foreach (var (person, name) in members)
        {
            var member = new GroupMember { Id = SequentialGuid.Next(), GroupId = group.Id, UserId = person.Id, Status = "active", AgreedAt = now };
            member.GroupName = key.Seal(GroupMember.Table, member.Id.ToString(), "groupName", name);
            db.Add(member);
            await db.SaveChangesAsync();
            await keys.AddHolderAsync(group.Id, person.Id);
            seeded.Add((person, member.Id, name));
            now = now.AddMilliseconds(1);
        }
        return new SeededGroup(group.Id, meeting.Id, facilitator, seeded);
    }

    public static Task<HttpResponseMessage> EventAsync(Person person, SeededGroup g, string type, long expectedVersion, object? extra = null)
    {
        var body = new Dictionary<string, object?> { ["type"] = type, ["expectedVersion"] = expectedVersion };
        if (extra is not null)
            foreach (var p in JsonSerializer.SerializeToElement(extra, Json).EnumerateObject()) body[p.Name] = p.Value;
        return person.Api.PostAsJsonAsync($"{g.Room}/events", body);
    }

    /// <summary>Sends an event that must be accepted; returns the caller's view after it.</summary>
    public static async Task<JsonElement> AcceptedAsync(Person person, SeededGroup g, string type, long expectedVersion, object? extra = null) =>
        JsonDocument.Parse(await Expect.StatusAsync(await EventAsync(person, g, type, expectedVersion, extra), HttpStatusCode.OK)).RootElement;

    public static async Task<JsonElement> RoomAsync(Person person, SeededGroup g) =>
        JsonDocument.Parse(await Expect.StatusAsync(await person.Api.GetAsync(g.Room), HttpStatusCode.OK)).RootElement;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
