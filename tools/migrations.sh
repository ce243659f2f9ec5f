#!/usr/bin/env bash
# EF Core migrations for both providers (docs/architecture.md, "Migrations").
#
#   tools/migrations.sh add NAME   generate migration NAME for SQLite and for PostgreSQL
#   tools/migrations.sh sync       after a hand-written migration landed in Data/Migrations:
#                                  bring both model snapshots up to date, adding no migration
#   tools/migrations.sh check      fail if the model is ahead of either snapshot
#
# Uses the dotnet-ef local tool (.config/dotnet-tools.json). Builds the app once, then runs the
# tool with --no-build for each provider. Needs no database.
set -euo pipefail
cd "$(dirname "$0")/.."
project=src/Attune
providers=(Sqlite Postgres)

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
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
      if ef "$p" migrations has-pending-model-changes >/dev/null; then echo "$p: snapshot matches the model"
      else echo "$p: the model has changes the snapshot lacks (tools/migrations.sh add NAME, or sync after a hand-written migration)"; status=1; fi
    done
    exit $status
    ;;
  *) usage ;;
esac
