#!/usr/bin/env bash
# Restores a backup made by deploy/backup.sh onto a new machine or an empty database
# (docs/operations.md, "Backup and restore"). Attune must not be running against the target.
#
#   deploy/restore.sh sqlite   /var/backups/attune/attune-….db   /var/lib/attune
#   deploy/restore.sh postgres /var/backups/attune/attune-….dump "host=127.0.0.1 dbname=attune user=attune"
#
# SQLite: the data folder must not hold a database yet; the file gets the folder's owner, mode 0600.
# PostgreSQL: the database must exist and be empty (createdb -O attune attune); one transaction.
# Then give the app the master key from its own backup, and start it: migrations bring an older
# backup up to date.
set -euo pipefail
umask 077
[ $# -eq 3 ] || { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
engine=$1 backup=$2 target=$3
[ -f "$backup" ] || { echo "No backup at $backup" >&2; exit 1; }

case "$engine" in
  sqlite)
    [ -d "$target" ] || { echo "No data folder at $target" >&2; exit 1; }
    for f in attune.db attune.db-wal attune.db-shm; do
      [ ! -e "$target/$f" ] || { echo "$target/$f exists: restore into an empty data folder (move the old files away first)" >&2; exit 1; }
    done
    check=$(sqlite3 "$backup" "PRAGMA integrity_check;")
    [ "$check" = "ok" ] || { echo "The backup failed its integrity check: $check" >&2; exit 1; }
    cp "$backup" "$target/attune.db.partial"
    chmod 0600 "$target/attune.db.partial"
    chown --reference="$target" "$target/attune.db.partial"
    mv "$target/attune.db.partial" "$target/attune.db"
    echo "Restored to $target/attune.db"
    ;;
  postgres)
    tables=$(psql --dbname="$target" -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
    [ "$tables" = "0" ] || { echo "The target database has $tables tables: restore into an empty database" >&2; exit 1; }
    pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$target" "$backup"
    echo "Restored into the database ($target)"
    ;;
  *) echo "engine must be sqlite or postgres" >&2; exit 2 ;;
esac
