using Attune.Data;
using Attune.Infrastructure;
using Attune.Infrastructure.Crypto;
using Attune.Infrastructure.Jobs;
using Attune.Infrastructure.Live;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Groups.Room;

/// <summary>
/// Applies room events. For each: the scope (404 for anyone not in the group), the input (400),
/// then under this room's lock, the write gate and one transaction: the state from this node's copy
/// (<see cref="RoomCache"/>) or the row, reconciled when the group's members have changed, decide (409,
/// 403, 400), save the state with its version as the concurrency token, seal and save the words,
/// apply the effects, and queue one <c>group.room</c> per person in the group on the transaction
/// (every node gets them at commit, in commit order). After the commit, still under the lock, the
/// frames reach this node's streams when its listener hears them back (<see cref="LiveBatch"/>). The caller's answer is their own view of the new state, or when
/// they ask for the short answer (<c>brief</c>), the new version
/// and where the room stands, without reading or opening the room's words again.
/// </summary>
public sealed class RoomService(AttuneDb db, WriteGate gate, RoomLocks locks, RoomCache cache, RoomStore store, SharedKeys keys, IRoomTextCheck check,
    IRoomPrompts prompts, EventHub hub, TimeProvider clock, IServiceProvider services) : IRoomMembership
{
    /// <summary>The room as <paramref name="userId"/> sees it, or null when it isn't theirs to see.</summary>
    public async Task<RoomStateDto?> GetAsync(string userId, Guid groupId, Guid meetingId, CancellationToken ct)
    {
        var scope = await store.ScopeAsync(userId, groupId, meetingId, ct);
        return scope is null ? null : await store.GetAsync(userId, scope, ct);
    }

    /// <param name="brief">Answer with <see cref="RoomBriefDto"/> rather than the caller's whole view.</param>
    public async Task<RoomOutcome> ApplyAsync(string userId, Guid groupId, Guid meetingId, RoomEventInput input, CancellationToken ct, bool brief = false)
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
        if (parsed!.Command is RoomCommand.Remove remove)
        {
            var removed = await RemoveAsync(userId, scope, remove, parsed.Reason, ct);
            return brief && removed.State is { } view ? RoomOutcome.Ok(RoomBriefDto.Of(view, null)) : removed;
        }
        var outcome = await CommitAsync(userId, scope, _ => parsed.Command, parsed, brief, ct);
        // A post, a check word or a reflection: the writer's own answer says who was told, with their crisis lines and plan.
        if (outcome.Answer == RoomAnswer.Ok && parsed.Text?.Verdict.Crisis == true)
            return outcome.WithSafety(await check.SafetyForAsync(userId, ct));
        return outcome;
    }

    /// <summary>Someone is no longer in the group: every open room of the group drops them, and the others hear of it.</summary>
    public async Task MemberLeftAsync(Guid groupId, string userId, CancellationToken ct)
    {
        var rooms = await db.Set<GroupRoom>().Where(r => r.GroupId == groupId && r.ClosedAt == null).Select(r => r.MeetingId).ToListAsync(ct);
        foreach (var meetingId in rooms)
        {
            if (await store.SystemScopeAsync(meetingId, ct) is not { } scope) continue;
            await CommitAsync(RoomActor.System, scope, raw => raw.Members.Contains(userId) ? new RoomCommand.MemberLeft(raw.Version, userId) : null, null, brief: true, ct);
        }
    }

    /// <summary>The no-show job: closes a room the facilitator never opened. False when there was nothing to close.</summary>
    public async Task<bool> CloseAbsentAsync(Guid meetingId, CancellationToken ct)
    {
        if (await store.SystemScopeAsync(meetingId, ct) is not { } scope) return false;
        var outcome = await CommitAsync(RoomActor.System, scope,
            raw => raw.Status == RoomStatus.Waiting ? new RoomCommand.AutoClose(raw.Version, "facilitatorAbsent") : null, null, brief: true, ct);
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
        if (RoomMachine.Decide(state, userId, remove) is RoomDecision.Rejected no) return await RefusalAsync(userId, no, scope, state, null, ct);
        var member = scope.Members.First(m => m.UserId == remove.UserId);
        var removals = services.GetService<IGroupRemovals>()
            ?? throw new InvalidOperationException("The group's membership service (IGroupRemovals) is not registered.");
        if (!await removals.RemoveAsync(userId, scope.GroupId, member.Id, reason, ct)) return RoomOutcome.NotFound;
        var after = await store.ScopeAsync(userId, scope.GroupId, scope.MeetingId, ct);
        return after is null ? RoomOutcome.NotFound : RoomOutcome.Ok(await store.GetAsync(userId, after, ct));
    }

    private async Task<RoomOutcome> CommitAsync(string actor, RoomScope scope, Func<RoomState, RoomCommand?> commandFor, RoomInputs.Parsed? parsed, bool brief,
        CancellationToken ct)
    {
        SharedKey? key = null;
        var batch = new LiveBatch(hub);
        RoomState next;
        Sealed? prompt;
        Guid? postId = null;
        using (await locks.EnterAsync(scope.MeetingId, ct))
        {
            // First on this node's copy of the room (system events always read the row); when that
            // copy turns out to be behind (the save matches no row) or the event is refused on it,
            // once more on the row as it is.
            var useCache = actor != RoomActor.System;
            while (true)
            {
                // A row this scope already tracks (a caller's own read) is used as it is.
                var cached = useCache && !db.ChangeTracker.Entries<GroupRoom>().Any(e => e.Entity.MeetingId == scope.MeetingId) ? cache.Get(scope.MeetingId) : null;
                using (await gate.EnterAsync(ct))
                {
                    await using var tx = await db.Database.BeginTransactionAsync(ct);
                    GroupRoom? existing;
                    RoomState raw;
                    // The actor's hold of the group's key, opened inside the write (after a removal's rotation, the
                    // new epoch) and used again for their answer.
                    if (actor != RoomActor.System) key = await keys.OpenAsync(scope.GroupId, actor, ct);
                    if (cached is not null)
                    {
                        existing = cached.ToRow(scope.MeetingId);
                        db.Attach(existing);
                        raw = cached.State;
                    }
                    else (existing, raw) = await store.LoadAsync(scope, track: true, ct);
                    if (commandFor(raw) is not { } command) return RoomOutcome.NotFound; // the app's own command had nothing to do
                    // Someone leaving is decided on the state that still holds them, so the room hears of it with a version of its own.
                    // A copy this node wrote is already in line with the group unless the group's members have changed since.
                    var state = command is RoomCommand.MemberLeft || (cached is not null && SameMembers(scope, raw)) ? raw : await store.ReconcileAsync(scope, raw, ct);
                    var decision = RoomMachine.Decide(state, actor, command);
                    if (decision is RoomDecision.Rejected no)
                    {
                        if (cached is null) return await RefusalAsync(actor, no, scope, state, key, ct);
                        Retry(scope.MeetingId);
                        useCache = false;
                        continue;
                    }
                    var accepted = (RoomDecision.Accepted)decision;
                    next = command is RoomCommand.MemberLeft ? await store.ReconcileAsync(scope, accepted.Next, ct) : accepted.Next;
                    var row = existing ?? db.Add(new GroupRoom { MeetingId = scope.MeetingId, GroupId = scope.GroupId }).Entity;
                    await ApplyAsync(actor, scope, row, state, next, command, accepted.Effects, parsed, parsed is null ? null : key, ct);
                    RoomFanout.AddTo(batch, next, scope.GroupId, scope.MeetingId);
                    try
                    {
                        // One batch on the wire: the event's own rows and UPDATE … WHERE MeetingId = m AND Version = v.
                        await db.SaveChangesAsync(ct);
                        await batch.NotifyInTransactionAsync(db, ct);
                        await tx.CommitAsync(ct);
                    }
                    catch (DbUpdateConcurrencyException) when (cached is not null)
                    {
                        // Another node wrote this room since this node's copy: decide again on the row.
                        Retry(scope.MeetingId);
                        batch = new LiveBatch(hub);
                        useCache = false;
                        continue;
                    }
                    catch (DbUpdateException)
                    {
                        // Another node wrote this version first (the concurrency token) or made the room at the same moment.
                        Retry(scope.MeetingId);
                        var current = (await store.LoadAsync(scope, track: false, ct)).Raw.Version;
                        return RoomOutcome.Stale(current);
                    }
                    cache.Set(scope.MeetingId, RoomCache.Entry.Of(row, next));
                    prompt = row.Prompt;
                    postId = (command as RoomCommand.Post)?.PostId;
                    db.Entry(row).State = EntityState.Detached; // the next event in this scope attaches its own copy
                }
                break;
            }
            await batch.DeliverHereAsync();
        }
        // The short answer needs nothing more from the database: no words are read or opened again.
        if (brief) return RoomOutcome.Ok(RoomStore.BriefOf(scope, next, postId));
        var viewer = actor == RoomActor.System ? scope.FacilitatorId : actor;
        return RoomOutcome.Ok(await store.ViewAsync(viewer, scope, next, prompt, viewer == actor ? key : null, ct));
    }

    /// <summary>Whether the state holds exactly the group's members now (then reconciling it would change nothing but withdrawn posts, which only go with their author).</summary>
    private static bool SameMembers(RoomScope scope, RoomState state) =>
        state.Members.Count == scope.Members.Count(m => m.UserId != state.FacilitatorId)
        && scope.Members.All(m => m.UserId == state.FacilitatorId || state.Members.Contains(m.UserId));

    private void Retry(Guid meetingId)
    {
        cache.Forget(meetingId);
        db.ChangeTracker.Clear();
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
        switch (GroupWitness.ChangeFor(w.Kind, existing is not null))
        {
            case GroupWitness.Change.Remove:
                db.Remove(existing!);
                return;
            case GroupWitness.Change.Add when w.Kind != GroupWitness.Reflection:
                db.Add(new GroupRoomWitness { Id = SequentialGuid.Next(), PostId = w.PostId, AuthorId = actor, Kind = w.Kind, CreatedAt = now });
                return;
        }
        var row = existing ?? db.Add(new GroupRoomWitness { Id = SequentialGuid.Next(), PostId = w.PostId, AuthorId = actor, Kind = GroupWitness.Reflection }).Entity;
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
    private async Task<RoomOutcome> RefusalAsync(string actor, RoomDecision.Rejected no, RoomScope scope, RoomState state, SharedKey? key, CancellationToken ct)
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
            if (scope.Members.FirstOrDefault(m => m.UserId == about) is { GroupName: { } sealedName } member && (key ?? await keys.OpenAsync(scope.GroupId, actor, ct)) is { } held)
            {
                try { name = held.Open(GroupMember.Table, member.Id.ToString(), "groupName", sealedName); }
                catch (System.Security.Cryptography.CryptographicException) { }
            }
            title = title.Replace("{name}", name, StringComparison.Ordinal);
        }
        return RoomOutcome.NotYours(title);
    }
}
