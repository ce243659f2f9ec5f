using Attune.Data;
using Attune.Infrastructure;
using Attune.Infrastructure.Crypto;
using Attune.Infrastructure.Jobs;
using Attune.Infrastructure.Live;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Groups.Room;

/// <summary>
/// Applies room events. For each: the scope (404 for anyone not in the group), the input (400),
/// then under this room's lock, the write gate and one transaction: load, reconcile, decide (409,
/// 403, 400), save the state with its version as the concurrency token, seal and save the words,
/// apply the effects, and queue one <c>group.room</c> per person in the group on the transaction
/// (other nodes get them at commit, in commit order). After the commit, still under the lock, the
/// frames go to this node's streams. The caller's answer is their own view of the new state.
/// </summary>
public sealed class RoomService(AttuneDb db, WriteGate gate, RoomLocks locks, RoomStore store, SharedKeys keys, IRoomTextCheck check,
    IRoomPrompts prompts, EventHub hub, TimeProvider clock, IServiceProvider services) : IRoomMembership
{
    /// <summary>The room as <paramref name="userId"/> sees it, or null when it isn't theirs to see.</summary>
    public async Task<RoomStateDto?> GetAsync(string userId, Guid groupId, Guid meetingId, CancellationToken ct)
    {
        var scope = await store.ScopeAsync(userId, groupId, meetingId, ct);
        return scope is null ? null : await store.GetAsync(userId, scope, ct);
    }

    public async Task<RoomOutcome> ApplyAsync(string userId, Guid groupId, Guid meetingId, RoomEventInput input, CancellationToken ct)
    {
        var scope = await store.ScopeAsync(userId, groupId, meetingId, ct);
        if (scope is null) return RoomOutcome.NotFound;
        var (parsed, errors, adviceLike) = RoomInputs.Parse(input, scope.UserIdOf, id => prompts.TextOf(id) is not null, check, SequentialGuid.Next());
        if (errors is not null)
        {
            // A missing or stale version is the answer even to input that needs another look: the sender must fetch first.
            if (input.ExpectedVersion is null) return RoomOutcome.Stale((await store.LoadAsync(scope, track: false, ct)).Raw.Version);
            return errors.Items.Any(e => e.Field == "text") && adviceLike
                ? RoomOutcome.Invalid("text", RoomInputs.AdviceQuestion, adviceLike: true)
                : RoomOutcome.Invalid(errors);
        }
        if (parsed!.Command is RoomCommand.Remove remove) return await RemoveAsync(userId, scope, remove, parsed.Reason, ct);
        var outcome = await CommitAsync(userId, scope, _ => parsed.Command, parsed, ct);
        if (outcome.Answer == RoomAnswer.Ok && parsed.Command is RoomCommand.Post && parsed.Text?.Verdict.Crisis == true)
            return RoomOutcome.Ok(outcome.State! with { Safety = await check.SafetyForAsync(userId, ct) });
        return outcome;
    }

    /// <summary>Someone is no longer in the group: every open room of the group drops them, and the others hear of it.</summary>
    public async Task MemberLeftAsync(Guid groupId, string userId, CancellationToken ct)
    {
        var rooms = await db.Set<GroupRoom>().Where(r => r.GroupId == groupId && r.ClosedAt == null).Select(r => r.MeetingId).ToListAsync(ct);
        foreach (var meetingId in rooms)
        {
            if (await store.SystemScopeAsync(meetingId, ct) is not { } scope) continue;
            await CommitAsync(RoomActor.System, scope, raw => raw.Members.Contains(userId) ? new RoomCommand.MemberLeft(raw.Version, userId) : null, null, ct);
        }
    }

    /// <summary>The no-show job: closes a room the facilitator never opened. False when there was nothing to close.</summary>
    public async Task<bool> CloseAbsentAsync(Guid meetingId, CancellationToken ct)
    {
        if (await store.SystemScopeAsync(meetingId, ct) is not { } scope) return false;
        var outcome = await CommitAsync(RoomActor.System, scope,
            raw => raw.Status == RoomStatus.Waiting ? new RoomCommand.AutoClose(raw.Version, "facilitatorAbsent") : null, null, ct);
        return outcome.Answer == RoomAnswer.Ok;
    }

    /// <summary>
    /// The facilitator's <c>remove</c>: the engine checks it's theirs to do at this version, then the
    /// group's removal does the rest (words withdrawn, key rotated, reason sealed for the person),
    /// and its <see cref="MemberLeftAsync"/> takes them out of the room with a new version.
    /// </summary>
    private async Task<RoomOutcome> RemoveAsync(string userId, RoomScope scope, RoomCommand.Remove remove, string? reason, CancellationToken ct)
    {
        var (_, raw) = await store.LoadAsync(scope, track: false, ct);
        var state = await store.ReconcileAsync(scope, raw, ct);
        if (RoomMachine.Decide(state, userId, remove) is RoomDecision.Rejected no) return await RefusalAsync(userId, no, scope, state, ct);
        var member = scope.Members.First(m => m.UserId == remove.UserId);
        var removals = services.GetService<IGroupRemovals>()
            ?? throw new InvalidOperationException("The group's membership service (IGroupRemovals) is not registered.");
        if (!await removals.RemoveAsync(userId, scope.GroupId, member.Id, reason, ct)) return RoomOutcome.NotFound;
        var after = await store.ScopeAsync(userId, scope.GroupId, scope.MeetingId, ct);
        return after is null ? RoomOutcome.NotFound : RoomOutcome.Ok(await store.GetAsync(userId, after, ct));
    }

    private async Task<RoomOutcome> CommitAsync(string actor, RoomScope scope, Func<RoomState, RoomCommand?> commandFor, RoomInputs.Parsed? parsed, CancellationToken ct)
    {
        var batch = new LiveBatch(hub);
        RoomState next;
        GroupRoom row;
        using (await locks.EnterAsync(scope.MeetingId, ct))
        {
            using (await gate.EnterAsync(ct))
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                var (existing, raw) = await store.LoadAsync(scope, track: true, ct);
                if (commandFor(raw) is not { } command) return RoomOutcome.NotFound; // the app's own command had nothing to do
                // Someone leaving is decided on the state that still holds them, so the room hears of it with a version of its own.
                var state = command is RoomCommand.MemberLeft ? raw : await store.ReconcileAsync(scope, raw, ct);
                var decision = RoomMachine.Decide(state, actor, command);
                if (decision is RoomDecision.Rejected no) return await RefusalAsync(actor, no, scope, state, ct);
                var accepted = (RoomDecision.Accepted)decision;
                next = command is RoomCommand.MemberLeft ? await store.ReconcileAsync(scope, accepted.Next, ct) : accepted.Next;
                row = existing ?? db.Add(new GroupRoom { MeetingId = scope.MeetingId, GroupId = scope.GroupId }).Entity;
                var key = actor == RoomActor.System || parsed is null ? null : await keys.OpenAsync(scope.GroupId, actor, ct);
                await ApplyAsync(actor, scope, row, state, next, command, accepted.Effects, parsed, key, ct);
                RoomFanout.AddTo(batch, next, scope.GroupId, scope.MeetingId);
                try
                {
                    await db.SaveChangesAsync(ct);
                    await batch.NotifyInTransactionAsync(db, ct);
                    await tx.CommitAsync(ct);
                }
                catch (DbUpdateException)
                {
                    // Another node wrote this version first (the concurrency token) or made the room at the same moment.
                    db.ChangeTracker.Clear();
                    var current = (await store.LoadAsync(scope, track: false, ct)).Raw.Version;
                    return RoomOutcome.Stale(current);
                }
            }
            batch.DeliverHere();
        }
        return actor == RoomActor.System ? RoomOutcome.Ok(await store.ViewAsync(scope.FacilitatorId, scope, next, row.Prompt, ct))
            : RoomOutcome.Ok(await store.ViewAsync(actor, scope, next, row.Prompt, ct));
    }

    private async Task ApplyAsync(string actor, RoomScope scope, GroupRoom row, RoomState before, RoomState next, RoomCommand command,
        IReadOnlyList<RoomEffect> effects, RoomInputs.Parsed? parsed, SharedKey? key, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        row.State = next.ToJson();
        row.Version = next.Version;
        if (before.Status == RoomStatus.Waiting && next.Status == RoomStatus.Open) row.OpenedAt = now;
        var text = parsed?.Text?.Text;
        switch (command)
        {
            case RoomCommand.StartRound:
                row.Prompt = parsed?.Prompt is { } own && key is not null ? key.Seal(GroupRoom.Table, scope.MeetingId.ToString(), RoomStore.PromptField, own) : null;
                break;
            case RoomCommand.Post p:
                db.Add(new GroupRoomPost
                {
                    Id = p.PostId,
                    MeetingId = scope.MeetingId,
                    AuthorId = actor,
                    Round = next.Round,
                    Body = key!.Seal(GroupRoomPost.Table, p.PostId.ToString(), RoomStore.BodyField, text!),
                    CreatedAt = now,
                });
                break;
            case RoomCommand.Witness w:
                await WitnessAsync(actor, w, text, key!, now, ct);
                break;
            case RoomCommand.CheckIn c:
                AddCheck(actor, scope.MeetingId, "in", c.Suds, text, key, now);
                break;
            case RoomCommand.CheckOut c:
                AddCheck(actor, scope.MeetingId, "out", c.Suds, text, key, now);
                break;
        }
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case RoomEffect.DeletePost d:
                    await db.Set<GroupRoomPost>().Where(p => p.Id == d.PostId).ExecuteDeleteAsync(ct);
                    break;
                case RoomEffect.MarkCame m:
                    var attendance = await db.Set<GroupAttendance>().FirstOrDefaultAsync(a => a.MeetingId == scope.MeetingId && a.UserId == m.UserId, ct);
                    if (attendance is null) db.Add(new GroupAttendance { MeetingId = scope.MeetingId, UserId = m.UserId, CameAt = now });
                    else attendance.CameAt ??= now;
                    break;
                case RoomEffect.Closed c:
                    row.ClosedAt = now;
                    row.CloseReason = c.Reason;
                    db.Add(new Job { Id = SequentialGuid.Next(), Kind = GroupJobs.Closed, Subject = scope.MeetingId, DueAt = now });
                    break;
            }
        }
    }

    /// <summary>A fixed reply toggles; a reflection is one per person per post, so a new one takes the old one's place.</summary>
    private async Task WitnessAsync(string actor, RoomCommand.Witness w, string? text, SharedKey key, DateTime now, CancellationToken ct)
    {
        var existing = await db.Set<GroupRoomWitness>().FirstOrDefaultAsync(x => x.PostId == w.PostId && x.AuthorId == actor && x.Kind == w.Kind, ct);
        if (w.Kind != "text")
        {
            if (existing is not null) db.Remove(existing);
            else db.Add(new GroupRoomWitness { Id = SequentialGuid.Next(), PostId = w.PostId, AuthorId = actor, Kind = w.Kind, CreatedAt = now });
            return;
        }
        var row = existing ?? db.Add(new GroupRoomWitness { Id = SequentialGuid.Next(), PostId = w.PostId, AuthorId = actor, Kind = "text" }).Entity;
        row.Text = key.Seal(GroupRoomWitness.Table, row.Id.ToString(), RoomStore.TextField, text!);
        row.CreatedAt = now;
    }

    private void AddCheck(string actor, Guid meetingId, string kind, int? suds, string? word, SharedKey? key, DateTime now) =>
        db.Add(new GroupRoomCheck
        {
            MeetingId = meetingId,
            UserId = actor,
            Kind = kind,
            Suds = suds,
            Word = word is null || key is null ? null : key.Seal(GroupRoomCheck.Table, RoomStore.CheckRow(meetingId, actor, kind), RoomStore.WordField, word),
            At = now,
        });

    /// <summary>The refusal as an answer; a kind 403 names the person it is about by the name the group sees, opened with the caller's own key.</summary>
    private async Task<RoomOutcome> RefusalAsync(string actor, RoomDecision.Rejected no, RoomScope scope, RoomState state, CancellationToken ct)
    {
        switch (no.Why)
        {
            case RoomRefusal.NotFound: return RoomOutcome.NotFound;
            case RoomRefusal.Stale: return RoomOutcome.Stale(state.Version);
            case RoomRefusal.Invalid: return RoomOutcome.Invalid(no.Field ?? "type", no.Message);
        }
        var title = no.Message;
        if (no.About is { } about)
        {
            var name = about == scope.FacilitatorId ? scope.FacilitatorName : "someone";
            if (scope.Members.FirstOrDefault(m => m.UserId == about) is { GroupName: { } sealedName } member && await keys.OpenAsync(scope.GroupId, actor, ct) is { } key)
            {
                try { name = key.Open(GroupMember.Table, member.Id.ToString(), "groupName", sealedName); }
                catch (System.Security.Cryptography.CryptographicException) { }
            }
            title = title.Replace("{name}", name, StringComparison.Ordinal);
        }
        return RoomOutcome.NotYours(title);
    }
}
