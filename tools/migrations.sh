#!/usr/bin/env bash
# EF Core migrations for both providers (docs/architecture.md, "Migrations").
#
#   tools/migrations.sh add NAME   generate migration NAME for SQLite and for PostgreSQL
#   tools/migrations.sh sync       after a hand-written migration landed in Data/Migrations:
#                                  bring both model snapshots up to date, adding no migration
#   tools/migrations.sh check      fail if the model is ahead of either snapshot
#   tools/migrations.sh script F   write the PostgreSQL upgrade as an idempotent SQL script to F
#
# Uses the dotnet-ef local tool (.config/dotnet-tools.json). Builds the app once, then runs the
# tool with --no-build for each provider. Needs no database.
set -euo pipefail
here=$PWD
cd "$(dirname "$0")/.."
project=src/Attune
providers=(Sqlite Postgres)

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[ $# -ge 1 ] || usage

# ef PROVIDER ARGS...: the provider goes to AttuneDesignTimeFactory, after the tool's own options.
ef() { local p=$1; shift; dotnet ef "$@" --project "$project" --startup-project "$project" --no-build -- --provider "$p"; }
build() { dotnet tool restore >/dev/null && dotnet build "$project" -v q -nologo; }

# Ids sort by their timestamp; a generated id older than the newest migration (e.g. a hand-written
# one dated ahead) would run before it on a new database.
newest_id() { find "$project/Data/Migrations" -name '[0-9]*_*.cs' ! -name '*.Designer.cs' -printf '%f\n' | sed 's/\.cs$//' | sort | tail -1; }

case "$1" in
  add)
    [ $# -eq 2 ] || usage
    name=$2
    build
    before=$(newest_id)
    for p in "${providers[@]}"; do
      ef "$p" migrations add "$name" --output-dir "Data/Migrations/$p" --namespace "Attune.Data.Migrations.$p"
      made=$(find "$project/Data/Migrations/$p" -name "[0-9]*_$name.cs" -printf '%f\n' | sed 's/\.cs$//' | sort | tail -1)
      if [[ "$made" < "$before" ]]; then
        echo "The new migration $made sorts before $before, so a new database would run it first." >&2
        echo "Rename its id (file names and the [Migration] attribute) to sort after $before." >&2
        exit 1
      fi
    done
    echo "Added $name for ${providers[*]}. Review both, then run: dotnet test --filter FullyQualifiedName~Attune.Tests.Data"
    ;;
  sync)
    build
    for p in "${providers[@]}"; do
      ef "$p" migrations add SnapshotSync --output-dir "Data/Migrations/$p" --namespace "Attune.Data.Migrations.$p" >/dev/null
      # The snapshot is what we wanted; the migration duplicates what the hand-written one does.
      find "$project/Data/Migrations/$p" -name '[0-9]*_SnapshotSync.cs' -delete
      find "$project/Data/Migrations/$p" -name '[0-9]*_SnapshotSync.Designer.cs' -delete
    done
    git --no-pager diff --stat -- "$project/Data/Migrations"
    echo "Snapshots are up to date. Build, run the tests in Attune.Tests.Data, and commit the snapshots."
    ;;
  check)
    build
    status=0
    for p in "${providers[@]}"; do
      if said=$(ef "$p" migrations has-pending-model-changes 2>&1); then
        echo "$p: the snapshot matches the model."
      elif grep -q "Changes have been made to the model" <<<"$said"; then
        echo "$p: STALE. The model has changes that ${p}ModelSnapshot.cs lacks." >&2
        echo "  After merging a hand-written migration: tools/migrations.sh sync" >&2
        echo "  After changing the model yourself:      tools/migrations.sh add NAME" >&2
        status=1
      else
        echo "$p: could not compare the model with its snapshot:" >&2
        echo "$said" >&2
        status=1
      fi
    done
    exit $status
    ;;
  script)
    [ $# -eq 2 ] || usage
    # EF writes idempotent scripts for PostgreSQL only (SQLite cannot run them); each migration
    # not yet in __EFMigrationsHistory runs in the script's transaction.
    out=$(realpath -m "$here/$2")
    [[ "$2" = /* ]] && out=$2
    build
    ef Postgres migrations script --idempotent --output "$out"
    echo "Wrote $out: review it, then apply it with psql -v ON_ERROR_STOP=1 -f $out (docs/operations.md, Upgrade)."
    ;;
  *) usage ;;
esac
