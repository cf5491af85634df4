-- 0003-correspondents.sql
--
-- Copyright 2026 The Cachet developers
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- The people the user exchanges mail with, for recipient suggestions: those
-- the user wrote to (the recipients of sent mail) and those who wrote to the
-- user (the senders of received mail). Kept as messages come and go, so that
-- a suggestion is one indexed look-up, whatever the size of the mailbox.

-- Where a message counts from: 1, sent mail (its recipients count); 0,
-- received mail (its sender counts); NULL, neither (drafts are not sent yet,
-- junk is nobody the user knows). The outbox sender copies sent mail to the
-- folder the server marks \Sent, else to one called Sent.
CREATE VIEW correspondent_folders AS
  SELECT id AS folder_id,
         CASE
           WHEN special_use = '\Sent' OR name = 'Sent' THEN 1
           WHEN special_use IN ('\Drafts', '\Junk') OR name IN ('Drafts', 'Junk') THEN NULL
           ELSE 0
         END AS sent
    FROM folders;

-- One row per address, whatever its case. A row stays when its counts fall
-- to zero (it is then never suggested), so that its full-text row, which
-- only the store's code may write, never outlives it.
CREATE TABLE correspondents (
  id              INTEGER PRIMARY KEY,
  address         TEXT    NOT NULL UNIQUE COLLATE NOCASE,
  name            TEXT,                                -- the newest display name seen
  sent_count      INTEGER NOT NULL DEFAULT 0,          -- messages the user sent them
  received_count  INTEGER NOT NULL DEFAULT 0,          -- messages they sent the user
  last_seen       INTEGER NOT NULL DEFAULT 0,          -- newest INTERNALDATE, unix seconds
  words_stale     INTEGER NOT NULL DEFAULT 1 CHECK (words_stale IN (0, 1))
) STRICT;

-- The rows whose name changed since their full-text row was written: the
-- store rewrites those before each commit that stored messages, and on
-- opening. last_seen only moves on: a removal leaves it.
CREATE INDEX correspondents_words_stale ON correspondents (id) WHERE words_stale = 1;

-- rowid = correspondents.id: the name and the local part of the address,
-- searched by word prefix, ignoring case and accents ("hel" finds Hélène).
CREATE VIRTUAL TABLE correspondents_fts USING fts5 (
  words,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3'
);

-- Which messages each correspondent counts: the counts follow these rows,
-- which go with their message.
CREATE TABLE message_correspondents (
  message_id        INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  correspondent_id  INTEGER NOT NULL REFERENCES correspondents (id),
  sent              INTEGER NOT NULL CHECK (sent IN (0, 1)),
  PRIMARY KEY (message_id, correspondent_id)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER message_correspondents_after_insert AFTER INSERT ON message_correspondents
BEGIN
  UPDATE correspondents
     SET sent_count = sent_count + NEW.sent,
         received_count = received_count + 1 - NEW.sent,
         last_seen = max(last_seen, (SELECT internal_date FROM messages WHERE id = NEW.message_id))
   WHERE id = NEW.correspondent_id;
END;

CREATE TRIGGER message_correspondents_after_delete AFTER DELETE ON message_correspondents
BEGIN
  UPDATE correspondents
     SET sent_count = sent_count - OLD.sent,
         received_count = received_count - 1 + OLD.sent
   WHERE id = OLD.correspondent_id;
END;

-- The messages already indexed, recorded the way the store records new
-- ones: into temp.correspondents_pending, which the store creates before
-- migrating and counts from when the migrations are done. Their recipients
-- are only kept as the text cachet_message_address_list_to_string() made:
-- "Name <address>" or "address", joined by ", ". An entry ends at the first
-- ", " unless a "<" comes before it, then at the ">, " after it; a name that
-- held ", " loses its first part, which the next message from or to that
-- person mends.
INSERT INTO temp.correspondents_pending (message_id, stamp, sent, name, address)
  WITH RECURSIVE
    entries (message_id, stamp, from_address, entry, rest) AS (
      SELECT m.id, m.internal_date, m.from_address, NULL, m.to_text || ', ' || m.cc_text || ', '
        FROM messages AS m JOIN correspondent_folders AS r ON r.folder_id = m.folder_id
       WHERE r.sent = 1
      UNION ALL
      SELECT message_id, stamp, from_address,
             substr (rest, 1, (CASE WHEN instr (rest, '<') BETWEEN 1 AND instr (rest, ', ')
                                         AND instr (rest, '>, ') > 0
                                    THEN instr (rest, '>, ') + 1
                                    ELSE instr (rest, ', ') END) - 1),
             substr (rest, (CASE WHEN instr (rest, '<') BETWEEN 1 AND instr (rest, ', ')
                                      AND instr (rest, '>, ') > 0
                                 THEN instr (rest, '>, ') + 1
                                 ELSE instr (rest, ', ') END) + 2)
        FROM entries
       WHERE rest <> ''
    ),
    mailboxes (message_id, stamp, sent, name, address, from_address) AS (
      SELECT message_id, stamp, 1,
             CASE WHEN instr (entry, '<') > 0
                  THEN nullif (trim (substr (entry, 1, instr (entry, '<') - 1)), '') END,
             CASE WHEN instr (entry, '<') > 0
                  THEN substr (entry, instr (entry, '<') + 1, length (entry) - instr (entry, '<') - 1)
                  ELSE trim (entry) END,
             from_address
        FROM entries
       WHERE entry IS NOT NULL
      UNION ALL
      SELECT m.id, m.internal_date, 0, m.from_name, m.from_address, NULL
        FROM messages AS m JOIN correspondent_folders AS r ON r.folder_id = m.folder_id
       WHERE r.sent = 0 AND m.from_address IS NOT NULL
    )
  SELECT message_id, stamp, sent, name, address
    FROM mailboxes
   WHERE address LIKE '_%@_%'
     AND instr (address, ' ') = 0 AND instr (address, '<') = 0 AND instr (address, '>') = 0
     AND instr (address, ',') = 0
     -- Copies to oneself are not correspondence.
     AND (from_address IS NULL OR address <> from_address COLLATE NOCASE);
