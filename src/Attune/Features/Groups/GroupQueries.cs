using Attune.Data;
using Attune.Features.Care;

namespace Attune.Features.Groups;

/// <summary>
/// Where every read of a group starts. A group is visible to its facilitator, its active members and
/// people whose application is still open or accepted; to anyone else it is a listed group's public
/// page or nothing (404).
/// </summary>
public static class GroupQueries
{
    /// <summary>The application statuses that still involve the applicant with the group.</summary>
    public static readonly string[] OpenApplication = ["pending", "waitlisted", "accepted"];

    public static IQueryable<Group> VisibleTo(this AttuneDb db, string userId) =>
        db.Set<Group>().Where(g => g.FacilitatorId == userId
            || db.Set<GroupMember>().Any(m => m.GroupId == g.Id && m.UserId == userId && m.Status == "active")
            || db.Set<GroupApplication>().Any(a => a.GroupId == g.Id && a.ApplicantId == userId
                && (a.Status == "pending" || a.Status == "waitlisted" || a.Status == "accepted")));

    /// <summary>The facilitator or an active member: the people who hold the group's key.</summary>
    public static IQueryable<Group> InsideOf(this AttuneDb db, string userId) =>
        db.Set<Group>().Where(g => g.FacilitatorId == userId
            || db.Set<GroupMember>().Any(m => m.GroupId == g.Id && m.UserId == userId && m.Status == "active"));

    /// <summary>
    /// The public directory: listed, not hidden, not closed, and either approved by an administrator or
    /// run by a verified therapist whose profile is published.
    /// </summary>
    public static IQueryable<Group> Listed(this AttuneDb db) =>
        db.Set<Group>().Where(g => g.Listed && !g.HiddenByAdmin && g.ClosedAt == null
            && (g.ApprovedAt != null
                || db.Set<TherapistProfile>().Any(p => p.UserId == g.FacilitatorId && p.Verified && p.Published && !p.HiddenByAdmin)));

    public static IQueryable<Group> FacilitatedBy(this AttuneDb db, string userId) =>
        db.Set<Group>().Where(Group.FacilitatedBy(userId));
}
