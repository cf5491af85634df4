-- 0001-initial.sql
--
-- Copyright 2026 The Cachet developers
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- The index of one account. It is derived data: everything in it but the
-- pending actions can be rebuilt from the Maildirs (cachet_store_reindex()).
-- Applied in one transaction, then PRAGMA user_version = 1.

-- One row per IMAP folder. The counts are kept by the triggers below.
CREATE TABLE folders (
  id             INTEGER PRIMARY KEY,
  name           TEXT    NOT NULL UNIQUE,          -- as the IMAP layer names it, UTF-8
  delimiter      TEXT,                             -- hierarchy delimiter, NULL if flat
  special_use    TEXT,                             -- RFC 6154 attribute, e.g. '\Sent'
  subscribed     INTEGER NOT NULL DEFAULT 0 CHECK (subscribed IN (0, 1)),
  uidvalidity    INTEGER NOT NULL DEFAULT 0,       -- 0: not selected yet
  uidnext        INTEGER NOT NULL DEFAULT 0,
  highestmodseq  INTEGER NOT NULL DEFAULT 0,       -- 0: no CONDSTORE
  total_count    INTEGER NOT NULL DEFAULT 0,
  unread_count   INTEGER NOT NULL DEFAULT 0        -- neither \Seen nor \Deleted
) STRICT;

CREATE TABLE messages (
  id              INTEGER PRIMARY KEY,
  folder_id       INTEGER NOT NULL REFERENCES folders (id) ON DELETE CASCADE,
  uid             INTEGER NOT NULL CHECK (uid > 0),
  filename        TEXT    NOT NULL,                -- current name in the folder's cur/
  internal_date   INTEGER NOT NULL,                -- IMAP INTERNALDATE, unix seconds
  size            INTEGER NOT NULL,
  modseq          INTEGER NOT NULL DEFAULT 0,
  seen            INTEGER NOT NULL DEFAULT 0 CHECK (seen IN (0, 1)),
  answered        INTEGER NOT NULL DEFAULT 0 CHECK (answered IN (0, 1)),
  flagged         INTEGER NOT NULL DEFAULT 0 CHECK (flagged IN (0, 1)),
  deleted         INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  draft           INTEGER NOT NULL DEFAULT 0 CHECK (draft IN (0, 1)),
  keywords        TEXT    NOT NULL DEFAULT '',     -- sorted, space separated
  message_id      TEXT,
  in_reply_to     TEXT,
  refs            TEXT    NOT NULL DEFAULT '',     -- References, space separated
  date            INTEGER,                         -- Date header, unix seconds; NULL if none
  from_name       TEXT,
  from_address    TEXT,
  to_text         TEXT    NOT NULL DEFAULT '',
  cc_text         TEXT    NOT NULL DEFAULT '',
  subject         TEXT,
  has_attachment  INTEGER NOT NULL DEFAULT 0 CHECK (has_attachment IN (0, 1)),
  is_signed       INTEGER NOT NULL DEFAULT 0 CHECK (is_signed IN (0, 1)),
  is_encrypted    INTEGER NOT NULL DEFAULT 0 CHECK (is_encrypted IN (0, 1)),
  mss_headers     TEXT    NOT NULL DEFAULT '',     -- 'Name: value' lines
  mime_issues     INTEGER NOT NULL DEFAULT 0,      -- CachetMimeIssues
  UNIQUE (folder_id, uid)
) STRICT;

-- Message lists are shown newest first, a page at a time.
CREATE INDEX messages_by_arrival ON messages (folder_id, internal_date DESC, uid DESC);
CREATE INDEX messages_by_message_id ON messages (message_id);

-- rowid = messages.id. It keeps its own copy of the text: the body is not
-- stored anywhere else in the index. The store deletes its rows along with
-- those of messages: with PRAGMA trusted_schema = OFF, a trigger may not
-- touch a virtual table.
CREATE VIRTUAL TABLE messages_fts USING fts5 (
  sender,
  recipients,
  subject,
  body,
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER messages_after_insert AFTER INSERT ON messages
BEGIN
  UPDATE folders
     SET total_count = total_count + 1,
         unread_count = unread_count + (NEW.seen = 0 AND NEW.deleted = 0)
   WHERE id = NEW.folder_id;
END;

CREATE TRIGGER messages_after_delete AFTER DELETE ON messages
BEGIN
  UPDATE folders
     SET total_count = total_count - 1,
         unread_count = unread_count - (OLD.seen = 0 AND OLD.deleted = 0)
   WHERE id = OLD.folder_id;
END;

CREATE TRIGGER messages_after_update_state AFTER UPDATE OF seen, deleted ON messages
BEGIN
  UPDATE folders
     SET unread_count = unread_count - (OLD.seen = 0 AND OLD.deleted = 0)
                                     + (NEW.seen = 0 AND NEW.deleted = 0)
   WHERE id = NEW.folder_id;
END;

-- Actions taken offline, replayed against the server in id order.
CREATE TABLE pending_actions (
  id               INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: the order of queueing
  kind             TEXT    NOT NULL
                     CHECK (kind IN ('add-flags', 'remove-flags', 'move', 'delete', 'append')),
  state            TEXT    NOT NULL DEFAULT 'queued'
                     CHECK (state IN ('queued', 'in-progress', 'failed')),
  folder_id        INTEGER NOT NULL REFERENCES folders (id) ON DELETE CASCADE,
  uidvalidity      INTEGER NOT NULL DEFAULT 0,
  uids             TEXT    NOT NULL DEFAULT '',      -- comma separated
  flags            INTEGER NOT NULL DEFAULT 0,       -- CachetMessageFlags
  keywords         TEXT    NOT NULL DEFAULT '',      -- space separated
  target_folder_id INTEGER REFERENCES folders (id) ON DELETE CASCADE,
  payload          TEXT,                             -- append: file name in pending/cur
  attempts         INTEGER NOT NULL DEFAULT 0,
  last_error       TEXT,
  created          INTEGER NOT NULL                  -- unix seconds
) STRICT;
