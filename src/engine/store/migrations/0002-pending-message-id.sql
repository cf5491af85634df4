-- 0002-pending-message-id.sql
--
-- Copyright 2026 The Cachet developers
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- Drafts: an append may replace the previous versions of a draft, and a
-- queued action may delete a draft by its Message-ID, whatever its UID.
-- SQLite cannot change a CHECK constraint in place, so pending_actions is
-- rebuilt, keeping its rows, their ids and the AUTOINCREMENT counter (ids
-- are the order of queueing and must never go back).

ALTER TABLE pending_actions RENAME TO pending_actions_0001;

CREATE TABLE pending_actions (
  id               INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: the order of queueing
  kind             TEXT    NOT NULL
                     CHECK (kind IN ('add-flags', 'remove-flags', 'move', 'delete', 'append',
                                     'delete-by-message-id')),
  state            TEXT    NOT NULL DEFAULT 'queued'
                     CHECK (state IN ('queued', 'in-progress', 'failed')),
  folder_id        INTEGER NOT NULL REFERENCES folders (id) ON DELETE CASCADE,
  uidvalidity      INTEGER NOT NULL DEFAULT 0,
  uids             TEXT    NOT NULL DEFAULT '',      -- comma separated
  flags            INTEGER NOT NULL DEFAULT 0,       -- CachetMessageFlags
  keywords         TEXT    NOT NULL DEFAULT '',      -- space separated
  target_folder_id INTEGER REFERENCES folders (id) ON DELETE CASCADE,
  payload          TEXT,                             -- append: file name in pending/cur
  message_id       TEXT,                             -- Message-ID replaced or deleted
  attempts         INTEGER NOT NULL DEFAULT 0,
  last_error       TEXT,
  created          INTEGER NOT NULL                  -- unix seconds
) STRICT;

INSERT INTO pending_actions (id, kind, state, folder_id, uidvalidity, uids, flags, keywords,
                             target_folder_id, payload, attempts, last_error, created)
  SELECT id, kind, state, folder_id, uidvalidity, uids, flags, keywords,
         target_folder_id, payload, attempts, last_error, created
    FROM pending_actions_0001;

-- The counter of the old table, which may be past its last row.
DELETE FROM sqlite_sequence WHERE name = 'pending_actions';
INSERT INTO sqlite_sequence (name, seq)
  SELECT 'pending_actions', seq FROM sqlite_sequence WHERE name = 'pending_actions_0001';

DROP TABLE pending_actions_0001;
