/* cachet-store-types.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CACHET_STORE_ERROR (cachet_store_error_quark ())

/**
 * CachetStoreError:
 * @CACHET_STORE_ERROR_FAILED: the index database failed (disk full, I/O
 *   error...); the message says how.
 * @CACHET_STORE_ERROR_CORRUPT: the index database is damaged: rebuild it with
 *   cachet_store_reindex() after moving it aside.
 * @CACHET_STORE_ERROR_TOO_NEW: the index was written by a newer Cachet and
 *   is left untouched.
 * @CACHET_STORE_ERROR_BUSY: another process has this account's store open.
 * @CACHET_STORE_ERROR_INVALID: an argument cannot be stored: an empty or
 *   invalid folder name or account id, a UID of 0, a keyword that is no IMAP
 *   atom, a file name that is not one of ours.
 * @CACHET_STORE_ERROR_NOT_FOUND: no such folder, message or pending action.
 * @CACHET_STORE_ERROR_UIDVALIDITY: the UIDVALIDITY given is not the folder's:
 *   call cachet_store_reset_folder() first.
 *
 * Errors of the local store. File system failures keep their #G_IO_ERROR.
 */
typedef enum
{
  CACHET_STORE_ERROR_FAILED,
  CACHET_STORE_ERROR_CORRUPT,
  CACHET_STORE_ERROR_TOO_NEW,
  CACHET_STORE_ERROR_BUSY,
  CACHET_STORE_ERROR_INVALID,
  CACHET_STORE_ERROR_NOT_FOUND,
  CACHET_STORE_ERROR_UIDVALIDITY,
} CachetStoreError;

/**
 * CachetMessageFlags:
 * @CACHET_MESSAGE_FLAG_NONE: no flag.
 * @CACHET_MESSAGE_FLAG_SEEN: \Seen, Maildir "S".
 * @CACHET_MESSAGE_FLAG_ANSWERED: \Answered, Maildir "R".
 * @CACHET_MESSAGE_FLAG_FLAGGED: \Flagged, Maildir "F".
 * @CACHET_MESSAGE_FLAG_DELETED: \Deleted, Maildir "T".
 * @CACHET_MESSAGE_FLAG_DRAFT: \Draft, Maildir "D".
 *
 * The IMAP system flags. Keywords ($Forwarded, $Label1, our own...) are kept
 * as strings next to them.
 */
typedef enum /*< flags >*/
{
  CACHET_MESSAGE_FLAG_NONE     = 0,
  CACHET_MESSAGE_FLAG_SEEN     = 1 << 0,
  CACHET_MESSAGE_FLAG_ANSWERED = 1 << 1,
  CACHET_MESSAGE_FLAG_FLAGGED  = 1 << 2,
  CACHET_MESSAGE_FLAG_DELETED  = 1 << 3,
  CACHET_MESSAGE_FLAG_DRAFT    = 1 << 4,
} CachetMessageFlags;

#define CACHET_MESSAGE_FLAG_ALL (CACHET_MESSAGE_FLAG_SEEN | CACHET_MESSAGE_FLAG_ANSWERED | \
                                 CACHET_MESSAGE_FLAG_FLAGGED | CACHET_MESSAGE_FLAG_DELETED | \
                                 CACHET_MESSAGE_FLAG_DRAFT)

/**
 * CACHET_STORE_MAX_KEYWORD_LENGTH:
 *
 * The longest keyword kept, in bytes.
 */
#define CACHET_STORE_MAX_KEYWORD_LENGTH 64

GQuark    cachet_store_error_quark    (void);
gboolean  cachet_store_keyword_is_valid (const char *keyword);

G_END_DECLS
