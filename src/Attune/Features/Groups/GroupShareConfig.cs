using Attune.Features.Sharing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Attune.Features.Groups;

/// <summary>A share with a group belongs to the group: the group going takes its shares with it.</summary>
internal sealed class GroupShareConfig : IEntityTypeConfiguration<Share>
{
    public const string Link = "GroupId";

    public void Configure(EntityTypeBuilder<Share> b) => Share.ThroughChannel<Group>(b, Link);
}
