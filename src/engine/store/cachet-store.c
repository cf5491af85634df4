/* cachet-store.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cachet-address.h"
#include "cachet-maildir.h"
#include "cachet-message-info-private.h"
#include "cachet-message-summary.h"
#include "cachet-paths.h"
#include "cachet-sqlite-private.h"
#include "cachet-store-private.h"
#include "cachet-store-resources.h"
#include "cachet-store.h"

/* The local store of one account:
 *
 *   <base dir>/accounts/<account id>/
 *     index.sqlite            the index (WAL): derived data, see reindex
 *     lock                    held (flock) while a CachetStore has it open
 *     folders/<encoded name>/ one Maildir per folder, plus cachet-folder.ini
 *                             (the folder's state, UIDVALIDITY included) and
 *                             cachet-keywords (the keyword letters)
 *     lost+found/             whole Maildirs set aside when a UIDVALIDITY
 *                             changed: never deleted by Cachet
 *     pending/                a Maildir for the messages of queued appends
 *
 * Order of writes: bytes first. A message file is in cur/ and synced before
 * its index row is written; a folder's state file is written before its row.
 * So after any crash the Maildirs hold at least what the index says, and
 * cachet_store_reindex() rebuilds the index from them.
 *
 * Threading: every method may be called from any thread. One SQLite
 * connection serves the store, used by one thread at a time: a mutex is held
 * for the whole of each call (so a long reindex makes the others wait). The
 * synchronous methods block on the disk, fsync included: call them from a
 * worker thread, or use the _async variants, which run them in GTask's
 * thread pool. */

#define MIGRATIONS_PATH          "/fr/cachet/Cachet/store/migrations"
#define FOLDER_STATE_FILE        "cachet-folder.ini"
#define FOLDER_STATE_GROUP       "folder"
#define MAX_ACCOUNT_ID_BYTES     64
#define MAX_FOLDER_NAME_BYTES    1000
#define MAX_QUERY_BYTES          1024
#define MAX_QUERY_TERMS          16
#define MAX_PAGE                 10000
/* RFC 5322's line length limit. */
#define MAX_MESSAGE_ID_BYTES     998
#define BUSY_TIMEOUT_MS          5000
#define MAX_CORRESPONDENTS       100
/* The longest address cachet_address_validate() accepts (RFC 5321). */
#define MAX_ADDRESS_BYTES        254
/* Suggestions rank mail the user sent over mail they received, and recent
 * mail over old: a correspondent's weight halves after a month without
 * mail, thirds after two... */
#define SENT_WEIGHT              "3"
#define RECENCY_SECONDS          "2592000.0"

/* Statements run for every message or batch stored, or for every folder
 * of a sync, prepared once: preparing them each time would cost more than
 * running them. */
typedef enum
{
  STATEMENT_GET_FOLDER,
  STATEMENT_HAS_MESSAGE,
  STATEMENT_INSERT_MESSAGE,
  STATEMENT_INSERT_MESSAGE_TEXT,
  STATEMENT_FOLDER_ROLE,
  STATEMENT_ADD_PENDING,
  STATEMENT_UPSERT_CORRESPONDENTS,
  STATEMENT_LINK_CORRESPONDENTS,
  STATEMENT_CLEAR_PENDING,
  STATEMENT_DELETE_STALE_WORDS,
  STATEMENT_INSERT_STALE_WORDS,
  STATEMENT_CLEAR_STALE_WORDS,
  N_STATEMENTS
} CachedStatement;

/* The mailboxes of the messages of the current transaction, until
 * flush_correspondents_locked() counts them. A temporary table: written
 * per message, it has no trigger nor constraint that would make SQLite open
 * a statement savepoint, at which FTS5 writes out the full-text rows it
 * holds in memory. Created before the migrations, which fill it too. */
#define CREATE_PENDING_TABLE \
  "CREATE TEMP TABLE correspondents_pending (" \
  "  message_id  INTEGER NOT NULL," \
  "  stamp       INTEGER NOT NULL," \
  "  sent        INTEGER NOT NULL," \
  "  name        TEXT," \
  "  address     TEXT    NOT NULL COLLATE NOCASE" \
  ")"

#define FOLDER_COLUMNS \
  "id, name, delimiter, special_use, subscribed, uidvalidity, uidnext, highestmodseq, " \
  "total_count, unread_count"

static const char * const cached_statement_sql[] = {
  [STATEMENT_GET_FOLDER] =
    "SELECT " FOLDER_COLUMNS " FROM folders WHERE name = ?1",
  [STATEMENT_HAS_MESSAGE] =
    "SELECT 1 FROM messages WHERE folder_id = ?1 AND uid = ?2",
  [STATEMENT_INSERT_MESSAGE] =
    "INSERT INTO messages (folder_id, uid, filename, internal_date, size, modseq, "
    "  seen, answered, flagged, deleted, draft, keywords, message_id, in_reply_to, "
    "  refs, date, from_name, from_address, to_text, cc_text, subject, "
    "  has_attachment, is_signed, is_encrypted, mss_headers, mime_issues) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
    "        ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)",
  [STATEMENT_INSERT_MESSAGE_TEXT] =
    "INSERT INTO messages_fts (rowid, sender, recipients, subject, body) "
    "VALUES (?1, ?2, ?3, ?4, ?5)",
  [STATEMENT_FOLDER_ROLE] =
    "SELECT sent FROM correspondent_folders WHERE folder_id = ?1",
  [STATEMENT_ADD_PENDING] =
    "INSERT INTO correspondents_pending (message_id, stamp, sent, name, address) "
    "VALUES (?1, ?2, ?3, ?4, ?5)",
  /* One row per address: its newest mailbox with a name, else its newest.
   * A correspondent takes the name of the newest message that has one; the
   * SET expressions all see the row as it was. The trigger on
   * message_correspondents moves last_seen on. (Without the WHERE, SQLite
   * would read ON CONFLICT as a join constraint.) */
  [STATEMENT_UPSERT_CORRESPONDENTS] =
    "INSERT INTO correspondents (address, name, last_seen) "
    "SELECT address, name, stamp FROM ("
    "  SELECT address, name, stamp, "
    "         row_number () OVER (PARTITION BY address "
    "                             ORDER BY name IS NULL, stamp DESC) AS rank "
    "  FROM correspondents_pending"
    ") WHERE rank = 1 "
    "ON CONFLICT (address) DO UPDATE "
    "  SET name = coalesce (CASE WHEN excluded.last_seen >= last_seen THEN excluded.name END, name), "
    "      words_stale = words_stale OR "
    "        coalesce (CASE WHEN excluded.last_seen >= last_seen THEN excluded.name END, name) "
    "        IS NOT name",
  /* Ignored for an address twice in one message (To and Cc). */
  [STATEMENT_LINK_CORRESPONDENTS] =
    "INSERT OR IGNORE INTO message_correspondents (message_id, correspondent_id, sent) "
    "SELECT p.message_id, c.id, p.sent "
    "FROM correspondents_pending AS p JOIN correspondents AS c ON c.address = p.address",
  [STATEMENT_CLEAR_PENDING] =
    "DELETE FROM correspondents_pending",
  [STATEMENT_DELETE_STALE_WORDS] =
    "DELETE FROM correspondents_fts "
    "WHERE rowid IN (SELECT id FROM correspondents WHERE words_stale = 1)",
  [STATEMENT_INSERT_STALE_WORDS] =
    "INSERT INTO correspondents_fts (rowid, words) "
    "SELECT id, coalesce (name, '') || ' ' || substr (address, 1, instr (address, '@') - 1) "
    "FROM correspondents WHERE words_stale = 1",
  [STATEMENT_CLEAR_STALE_WORDS] =
    "UPDATE correspondents SET words_stale = 0 WHERE words_stale = 1",
};

G_STATIC_ASSERT (G_N_ELEMENTS (cached_statement_sql) == N_STATEMENTS);

struct _CachetStore
{
  GObject        parent_instance;

  /* Immutable once initialised. */
  char          *base_dir;
  char          *account_id;
  char          *account_dir;
  char          *folders_dir;
  char          *lost_found_dir;
  CachetMaildir *pending;
  int            lock_fd;

  GMutex         lock;
  sqlite3       *db;       /* under lock */
  sqlite3_stmt  *statements[N_STATEMENTS]; /* under lock, prepared on first use */
  GHashTable    *maildirs; /* folder name -> CachetMaildir, under lock */
  /* Names of the folders whose files all have their index rows, checked at
   * the first delivery into the folder; under lock. */
  GHashTable    *adopted_folders;
};

static void cachet_store_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CachetStore, cachet_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      cachet_store_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_ASYNC_INITABLE, NULL))

enum {
  PROP_0,
  PROP_BASE_DIR,
  PROP_ACCOUNT_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *pending_kinds[] = {
  "add-flags", "remove-flags", "move", "delete", "append", "delete-by-message-id",
};
static const char *pending_states[] = { "queued", "in-progress", "failed" };

G_STATIC_ASSERT (G_N_ELEMENTS (pending_kinds) == CACHET_PENDING_ACTION_DELETE_BY_MESSAGE_ID + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (pending_states) == CACHET_PENDING_ACTION_FAILED + 1);

/* SQLite helpers. The messages of SQLite name tables and constraints, never
 * values, so they can go into a GError. */

static gboolean
set_sqlite_error (GError    **error,
                  sqlite3    *db,
                  int         rc,
                  const char *what)
{
  int primary = rc & 0xff;
  int code = primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB ?
             CACHET_STORE_ERROR_CORRUPT : CACHET_STORE_ERROR_FAILED;

  g_set_error (error, CACHET_STORE_ERROR, code, "%s: %s",
               what, db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
  return FALSE;
}

static sqlite3_stmt *
prepare (CachetStore  *self,
         const char   *sql,
         GError      **error)
{
  sqlite3_stmt *statement = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &statement, NULL);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, self->db, rc, _("Cannot query the index"));
      return NULL;
    }
  return statement;
}

static gboolean
step_done (CachetStore   *self,
           sqlite3_stmt  *statement,
           GError       **error)
{
  int rc = sqlite3_step (statement);

  if (rc != SQLITE_DONE)
    return set_sqlite_error (error, self->db, rc, _("Cannot update the index"));
  return TRUE;
}

/* SQLITE_ROW: TRUE; SQLITE_DONE: FALSE without error; else FALSE with one. */
static gboolean
step_row (CachetStore   *self,
          sqlite3_stmt  *statement,
          GError       **error)
{
  int rc = sqlite3_step (statement);

  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    set_sqlite_error (error, self->db, rc, _("Cannot read the index"));
  return FALSE;
}

/* A cached statement is reset, not finalized, when its user is done. */
typedef sqlite3_stmt CachetCachedStatement;

static void
release_statement (CachetCachedStatement *statement)
{
  sqlite3_reset (statement);
  sqlite3_clear_bindings (statement);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachetCachedStatement, release_statement)

static CachetCachedStatement *
cached_statement (CachetStore      *self,
                  CachedStatement   which,
                  GError          **error)
{
  if (self->statements[which] == NULL)
    {
      int rc = sqlite3_prepare_v3 (self->db, cached_statement_sql[which], -1,
                                   SQLITE_PREPARE_PERSISTENT, &self->statements[which], NULL);

      if (rc != SQLITE_OK)
        {
          set_sqlite_error (error, self->db, rc, _("Cannot query the index"));
          return NULL;
        }
    }
  return self->statements[which];
}

static gboolean
exec (CachetStore  *self,
      const char   *sql,
      GError      **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return set_sqlite_error (error, self->db, rc, _("Cannot update the index"));
  return TRUE;
}

static gboolean
begin (CachetStore  *self,
       GError      **error)
{
  return exec (self, "BEGIN IMMEDIATE", error);
}

static gboolean
commit (CachetStore  *self,
        GError      **error)
{
  if (exec (self, "COMMIT", error))
    return TRUE;
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

static void
rollback (CachetStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static void
bind_text (sqlite3_stmt *statement,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (statement, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (statement, index);
}

static char *
dup_column (sqlite3_stmt *statement,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (statement, column));
}

/* Validation of what callers pass. */

static gboolean
check_folder_name (const char  *name,
                   GError     **error)
{
  gboolean valid = name != NULL && *name != '\0' && strlen (name) <= MAX_FOLDER_NAME_BYTES &&
                   g_utf8_validate (name, -1, NULL);

  for (const char *p = name; valid && *p != '\0'; p++)
    valid = (guchar) *p >= 0x20 && *p != 0x7f;

  if (!valid)
    g_set_error_literal (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_INVALID,
                         _("Invalid folder name"));
  return valid;
}

static gboolean
check_account_id (const char  *id,
                  GError     **error)
{
  gboolean valid = id != NULL && *id != '\0' && *id != '.' && strlen (id) <= MAX_ACCOUNT_ID_BYTES;

  for (const char *p = id; valid && *p != '\0'; p++)
    valid = g_ascii_isalnum (*p) || *p == '-' || *p == '_' || *p == '.';

  if (!valid)
    g_set_error_literal (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_INVALID,
                         _("Invalid account id"));
  return valid;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Valid keywords only, each once, sorted: the same set always reads the
 * same, in the index as after a reindex. */
static char **
normalize_keywords (const char * const *keywords)
{
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; keywords != NULL && keywords[i] != NULL; i++)
    {
      if (cachet_store_keyword_is_valid (keywords[i]) &&
          !g_ptr_array_find_with_equal_func (kept, keywords[i], g_str_equal, NULL))
        g_ptr_array_add (kept, g_strdup (keywords[i]));
    }
  g_ptr_array_sort (kept, compare_strings);
  g_ptr_array_add (kept, NULL);

  return (char **) g_ptr_array_free (g_steal_pointer (&kept), FALSE);
}

/* Folders. */

void
cachet_folder_info_free (CachetFolderInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->delimiter);
  g_free (info->special_use);
  g_free (info);
}

static CachetFolderInfo *
folder_info_from_row (sqlite3_stmt *statement,
                      gint64       *id)
{
  CachetFolderInfo *info = g_new0 (CachetFolderInfo, 1);

  if (id != NULL)
    *id = sqlite3_column_int64 (statement, 0);
  info->name = dup_column (statement, 1);
  info->delimiter = dup_column (statement, 2);
  info->special_use = dup_column (statement, 3);
  info->subscribed = sqlite3_column_int (statement, 4) != 0;
  info->uidvalidity = (guint32) sqlite3_column_int64 (statement, 5);
  info->uidnext = (guint32) sqlite3_column_int64 (statement, 6);
  info->highestmodseq = (guint64) sqlite3_column_int64 (statement, 7);
  info->total_count = (guint) sqlite3_column_int64 (statement, 8);
  info->unread_count = (guint) sqlite3_column_int64 (statement, 9);

  return info;
}

static CachetFolderInfo *
get_folder_locked (CachetStore  *self,
                   const char   *name,
                   gint64       *id,
                   GError      **error)
{
  g_autoptr(CachetCachedStatement) statement = NULL;
  g_autoptr(GError) local_error = NULL;

  statement = cached_statement (self, STATEMENT_GET_FOLDER, error);
  if (statement == NULL)
    return NULL;
  bind_text (statement, 1, name);

  if (step_row (self, statement, &local_error))
    return folder_info_from_row (statement, id);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    g_set_error_literal (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_NOT_FOUND,
                         _("No such folder"));
  return NULL;
}

/* The folder's id, if @uidvalidity is its UIDVALIDITY. */
static gboolean
lookup_folder_locked (CachetStore  *self,
                      const char   *name,
                      guint32       uidvalidity,
                      gint64       *id,
                      GError      **error)
{
  g_autoptr(CachetFolderInfo) info = get_folder_locked (self, name, id, error);

  if (info == NULL)
    return FALSE;
  if (info->uidvalidity != uidvalidity)
    {
      g_set_error_literal (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_UIDVALIDITY,
                           _("The folder has another UIDVALIDITY"));
      return FALSE;
    }
  return TRUE;
}

static CachetMaildir *
folder_maildir_locked (CachetStore  *self,
                       const char   *name,
                       GError      **error)
{
  CachetMaildir *maildir = g_hash_table_lookup (self->maildirs, name);
  g_autofree char *dirname = NULL;
  g_autofree char *path = NULL;

  if (maildir != NULL)
    return maildir;

  dirname = cachet_maildir_encode_folder_name (name);
  if (dirname == NULL)
    {
      g_set_error_literal (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_INVALID,
                           _("Invalid folder name"));
      return NULL;
    }
  path = g_build_filename (self->folders_dir, dirname, NULL);
  maildir = cachet_maildir_new (path);
  g_hash_table_insert (self->maildirs, g_strdup (name), maildir);

  return maildir;
}

/* The state file lets a reindex restore the folder row: its real name (the
 * directory name may be a hash), and the UIDVALIDITY the UIDs in the file
 * names belong to. */
static gboolean
write_folder_state (CachetMaildir           *maildir,
                    const CachetFolderInfo  *info,
                    GError                 **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autofree char *path = g_build_filename (cachet_maildir_get_path (maildir), FOLDER_STATE_FILE,
                                            NULL);
  g_autofree char *data = NULL;
  gsize length;

  g_key_file_set_string (keyfile, FOLDER_STATE_GROUP, "name", info->name);
  if (info->delimiter != NULL)
    g_key_file_set_string (keyfile, FOLDER_STATE_GROUP, "delimiter", info->delimiter);
  if (info->special_use != NULL)
    g_key_file_set_string (keyfile, FOLDER_STATE_GROUP, "special-use", info->special_use);
  g_key_file_set_boolean (keyfile, FOLDER_STATE_GROUP, "subscribed", info->subscribed);
  g_key_file_set_uint64 (keyfile, FOLDER_STATE_GROUP, "uidvalidity", info->uidvalidity);
  g_key_file_set_uint64 (keyfile, FOLDER_STATE_GROUP, "uidnext", info->uidnext);
  g_key_file_set_uint64 (keyfile, FOLDER_STATE_GROUP, "highestmodseq", info->highestmodseq);

  data = g_key_file_to_data (keyfile, &length, NULL);
  if (!g_file_set_contents_full (path, data, (gssize) length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, error))
    {
      _cachet_store_hide_path (error, _("Cannot save the state of the folder"));
      return FALSE;
    }
  return TRUE;
}

static CachetFolderInfo *
read_folder_state (const char *maildir_path,
                   const char *dirname)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autofree char *path = g_build_filename (maildir_path, FOLDER_STATE_FILE, NULL);
  g_autoptr(CachetFolderInfo) info = g_new0 (CachetFolderInfo, 1);

  if (g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, NULL))
    {
      guint64 uidvalidity = g_key_file_get_uint64 (keyfile, FOLDER_STATE_GROUP, "uidvalidity",
                                                   NULL);
      guint64 uidnext = g_key_file_get_uint64 (keyfile, FOLDER_STATE_GROUP, "uidnext", NULL);

      info->name = g_key_file_get_string (keyfile, FOLDER_STATE_GROUP, "name", NULL);
      info->delimiter = g_key_file_get_string (keyfile, FOLDER_STATE_GROUP, "delimiter", NULL);
      info->special_use = g_key_file_get_string (keyfile, FOLDER_STATE_GROUP, "special-use", NULL);
      info->subscribed = g_key_file_get_boolean (keyfile, FOLDER_STATE_GROUP, "subscribed", NULL);
      info->uidvalidity = (guint32) MIN (G_MAXUINT32, uidvalidity);
      info->uidnext = (guint32) MIN (G_MAXUINT32, uidnext);
      info->highestmodseq = g_key_file_get_uint64 (keyfile, FOLDER_STATE_GROUP, "highestmodseq",
                                                   NULL);
    }
  if (info->name == NULL)
    info->name = cachet_maildir_decode_folder_name (dirname);
  if (!check_folder_name (info->name, NULL))
    return NULL;

  return g_steal_pointer (&info);
}

static gboolean
save_folder_row_locked (CachetStore             *self,
                        const CachetFolderInfo  *info,
                        GError                 **error)
{
  g_autoptr(sqlite3_stmt) statement = NULL;

  statement = prepare (self,
                       "INSERT INTO folders (name, delimiter, special_use, subscribed, "
                       "                     uidvalidity, uidnext, highestmodseq) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                       "ON CONFLICT (name) DO UPDATE SET "
                       "  delimiter = excluded.delimiter, special_use = excluded.special_use, "
                       "  subscribed = excluded.subscribed, uidvalidity = excluded.uidvalidity, "
                       "  uidnext = excluded.uidnext, highestmodseq = excluded.highestmodseq",
                       error);
  if (statement == NULL)
    return FALSE;
  bind_text (statement, 1, info->name);
  bind_text (statement, 2, info->delimiter);
  bind_text (statement, 3, info->special_use);
  sqlite3_bind_int (statement, 4, info->subscribed ? 1 : 0);
  sqlite3_bind_int64 (statement, 5, info->uidvalidity);
  sqlite3_bind_int64 (statement, 6, info->uidnext);
  sqlite3_bind_int64 (statement, 7, (sqlite3_int64) info->highestmodseq);

  return step_done (self, statement, error);
}

/**
 * cachet_store_upsert_folder:
 * @self: a #CachetStore
 * @info: the folder's state (its counts are ignored)
 * @error: return location for a #GError
 *
 * Creates or updates a folder and its Maildir. A UIDVALIDITY of 0 keeps the
 * recorded one; a different non-zero one is refused with
 * %CACHET_STORE_ERROR_UIDVALIDITY (call cachet_store_reset_folder()). Call
 * it after the messages and flags that @info's UIDNEXT and HIGHESTMODSEQ
 * cover are stored, so that the recorded state never runs ahead of them.
 * Blocking: call from a worker.
 *
 * Returns: %TRUE on success.
 */
gboolean
cachet_store_upsert_folder (CachetStore             *self,
                            const CachetFolderInfo  *info,
                            GError                 **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(CachetFolderInfo) existing = NULL;
  g_autoptr(GError) local_error = NULL;
  CachetFolderInfo merged;
  CachetMaildir *maildir;

  g_return_val_if_fail (CACHET_IS_STORE (self), FALSE);
  g_return_val_if_fail (info != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_folder_name (info->name, error))
    return FALSE;

  locker = g_mutex_locker_new (&self->lock);

  existing = get_folder_locked (self, info->name, NULL, &local_error);
  if (existing == NULL &&
      !g_error_matches (local_error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  merged = *info;
  if (existing != NULL && existing->uidvalidity != 0)
    {
      if (info->uidvalidity != 0 && info->uidvalidity != existing->uidvalidity)
        {
          g_set_error_literal (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_UIDVALIDITY,
                               _("The folder has another UIDVALIDITY"));
          return FALSE;
        }
      merged.uidvalidity = existing->uidvalidity;
    }

  maildir = folder_maildir_locked (self, info->name, error);
  return maildir != NULL &&
         cachet_maildir_ensure (maildir, error) &&
         write_folder_state (maildir, &merged, error) &&
         save_folder_row_locked (self, &merged, error);
}

/**
 * cachet_store_get_folder:
 * @self: a #CachetStore
 * @folder: a folder name
 * @error: return location for a #GError
 *
 * Blocking: call from a worker.
 *
 * Returns: (transfer full): the folder's state, or %NULL with
 *   %CACHET_STORE_ERROR_NOT_FOUND.
 */
CachetFolderInfo *
cachet_store_get_folder (CachetStore  *self,
                         const char   *folder,
                         GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (CACHET_IS_STORE (self), NULL);
  g_return_val_if_fail (folder != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  return get_folder_locked (self, folder, NULL, error);
}

/**
 * cachet_store_list_folders:
 * @self: a #CachetStore
 * @error: return location for a #GError
 *
 * Blocking: call from a worker.
 *
 * Returns: (transfer full) (element-type CachetFolderInfo): every folder,
 *   by name.
 */
GPtrArray *
cachet_store_list_folders (CachetStore  *self,
                           GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) statement = NULL;
  g_autoptr(GPtrArray) folders = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (CACHET_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  statement = prepare (self, "SELECT " FOLDER_COLUMNS " FROM folders ORDER BY name", error);
  if (statement == NULL)
    return NULL;

  folders = g_ptr_array_new_with_free_func ((GDestroyNotify) cachet_folder_info_free);
  while (step_row (self, statement, &local_error))
    g_ptr_array_add (folders, folder_info_from_row (statement, NULL));
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&folders);
}

static gboolean
fsync_directory (const char  *path,
                 GError     **error)
{
  int fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0 || (fsync (fd) != 0 && errno != EINVAL))
    {
      int saved_errno = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot sync a store directory: %s"), g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

/* Moves a whole Maildir under lost+found/: one rename, so either all of its
 * messages moved or none did. */
static gboolean
set_aside_locked (CachetStore    *self,
                  CachetMaildir  *maildir,
                  guint32         uidvalidity,
                  GError        **error)
{
  const char *path = cachet_maildir_get_path (maildir);
  g_autofree char *dirname = g_path_get_basename (path);
  g_autofree char *target = NULL;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    return TRUE;
  if (g_mkdir_with_parents (self->lost_found_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create the lost+found folder: %s"), g_strerror (saved_errno));
      return FALSE;
    }

  do
    {
      g_autofree char *name = g_strdup_printf ("%s.%u.%" G_GINT64_FORMAT ".%08x",
                                               dirname, uidvalidity,
                                               g_get_real_time () / G_USEC_PER_SEC,
                                               g_random_int ());

      g_free (target);
      target = g_build_filename (self->lost_found_dir, name, NULL);
    }
  while (g_file_test (target, G_FILE_TEST_EXISTS));

  if (g_rename (path, target) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot set the folder aside: %s"), g_strerror (saved_errno));
      return FALSE;
    }

  return fsync_directory (self->lost_found_dir, error) &&
         fsync_directory (self->folders_dir, error);
}

/**
 * cachet_store_reset_folder:
 * @self: a #CachetStore
 * @folder: a folder name
 * @uidvalidity: the folder's new UIDVALIDITY
 * @error: return location for a #GError
 *
 * Handles a UIDVALIDITY change: the UIDs the store holds for @folder mean
 * nothing any more. Its whole Maildir is moved to lost+found/ (never
 * deleted), its index rows dropped, and its queued actions on UIDs marked
 * failed; appends and deletions by Message-ID stay queued. The folder starts again empty. Blocking: call
 * from a worker.
 *
 * Returns: %TRUE on success.
 */
gboolean
cachet_store_reset_folder (CachetStore  *self,
                           const char   *folder,
                           guint32       uidvalidity,
                           GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(CachetFolderInfo) info = NULL;
  g_autoptr(sqlite3_stmt) delete_text = NULL;
  g_autoptr(sqlite3_stmt) delete_messages = NULL;
  g_autoptr(sqlite3_stmt) update_folder = NULL;
  g_autoptr(sqlite3_stmt) fail_actions = NULL;
  CachetMaildir *maildir;
  gint64 folder_id;

  g_return_val_if_fail (CACHET_IS_STORE (self), FALSE);
  g_return_val_if_fail (folder != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);

  info = get_folder_locked (self, folder, &folder_id, error);
  if (info == NULL)
    return FALSE;
  if (info->uidvalidity == uidvalidity)
    return TRUE;

  /* Bytes first: the messages are safe in lost+found before the index
   * forgets them. */
  maildir = folder_maildir_locked (self, folder, error);
  if (maildir == NULL || !set_aside_locked (self, maildir, info->uidvalidity, error))
    return FALSE;
  /* A fresh object: the old one remembers the old keyword letters. */
  g_hash_table_remove (self->maildirs, folder);
  g_hash_table_remove (self->adopted_folders, folder);
  maildir = folder_maildir_locked (self, folder, error);

  info->uidvalidity = uidvalidity;
  info->uidnext = 0;
  info->highestmodseq = 0;
  if (maildir == NULL || !cachet_maildir_ensure (maildir, error) ||
      !write_folder_state (maildir, info, error))
    return FALSE;

  delete_text = prepare (self,
                         "DELETE FROM messages_fts "
                         "WHERE rowid IN (SELECT id FROM messages WHERE folder_id = ?1)", error);
  delete_messages = prepare (self, "DELETE FROM messages WHERE folder_id = ?1", error);
  update_folder = prepare (self,
                           "UPDATE folders SET uidvalidity = ?2, uidnext = 0, highestmodseq = 0, "
                           "                   total_count = 0, unread_count = 0 "
                           "WHERE id = ?1", error);
  fail_actions = prepare (self,
                          "UPDATE pending_actions "
                          "SET state = 'failed', "
                          "    last_error = 'The server reset the folder (UIDVALIDITY)' "
                          "WHERE folder_id = ?1 AND uidvalidity != ?2 "
                          "  AND kind NOT IN ('append', 'delete-by-message-id')", error);
  if (delete_text == NULL || delete_messages == NULL || update_folder == NULL ||
      fail_actions == NULL)
    return FALSE;
  sqlite3_bind_int64 (delete_text, 1, folder_id);
  sqlite3_bind_int64 (delete_messages, 1, folder_id);
  sqlite3_bind_int64 (update_folder, 1, folder_id);
  sqlite3_bind_int64 (update_folder, 2, uidvalidity);
  sqlite3_bind_int64 (fail_actions, 1, folder_id);
  sqlite3_bind_int64 (fail_actions, 2, uidvalidity);

  if (!begin (self, error))
    return FALSE;
  if (!step_done (self, delete_text, error) ||
      !step_done (self, delete_messages, error) ||
      !step_done (self, update_folder, error) ||
      !step_done (self, fail_actions, error))
    {
      rollback (self);
      return FALSE;
    }
  return commit (self, error);
}

/* Messages. */

static char *
join_summary_strings (GPtrArray  *strings,
                      const char *separator)
{
  g_autoptr(GString) joined = g_string_new (NULL);

  for (guint i = 0; strings != NULL && i < strings->len; i++)
    {
      if (i > 0)
        g_string_append (joined, separator);
      g_string_append (joined, g_ptr_array_index (strings, i));
    }
  return g_string_free (g_steal_pointer (&joined), FALSE);
}

static char *
join_mss_headers (GPtrArray *headers)
{
  g_autoptr(GString) joined = g_string_new (NULL);

  for (guint i = 0; headers != NULL && i < headers->len; i++)
    {
      CachetMessageHeader *header = g_ptr_array_index (headers, i);

      g_string_append_printf (joined, "%s%s: %s", i > 0 ? "\n" : "", header->name, header->value);
    }
  return g_string_free (g_steal_pointer (&joined), FALSE);
}

/* Correspondents. */

/* Counts the mailboxes recorded since the last flush, and gives the
 * correspondents whose name changed their full-text row again: FTS5 cannot
 * be written from the triggers that keep the counts. Set-wise, once per
 * transaction; in the caller's. */
static gboolean
flush_correspondents_locked (CachetStore  *self,
                             GError      **error)
{
  static const CachedStatement steps[] = {
    STATEMENT_UPSERT_CORRESPONDENTS, STATEMENT_LINK_CORRESPONDENTS, STATEMENT_CLEAR_PENDING,
    STATEMENT_DELETE_STALE_WORDS, STATEMENT_INSERT_STALE_WORDS, STATEMENT_CLEAR_STALE_WORDS,
  };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(CachetCachedStatement) statement = cached_statement (self, steps[i], error);

      if (statement == NULL || !step_done (self, statement, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
record_mailbox_locked (CachetStore                 *self,
                       gint64                       message_row,
                       gint64                       stamp,
                       gboolean                     sent,
                       const CachetMessageAddress  *mailbox,
                       GError                     **error)
{
  g_autoptr(CachetCachedStatement) add = NULL;

  /* What could not be typed in a recipient field is no suggestion. */
  if (!cachet_address_validate (mailbox->address, NULL))
    return TRUE;

  add = cached_statement (self, STATEMENT_ADD_PENDING, error);
  if (add == NULL)
    return FALSE;
  sqlite3_bind_int64 (add, 1, message_row);
  sqlite3_bind_int64 (add, 2, stamp);
  sqlite3_bind_int (add, 3, sent);
  bind_text (add, 4, mailbox->name);
  bind_text (add, 5, mailbox->address);
  return step_done (self, add, error);
}

/* Records the people the message was exchanged with: the recipients of
 * sent mail, but the user among them; the sender of received mail. They
 * count from flush_correspondents_locked(), before the caller commits. */
static gboolean
record_correspondents_locked (CachetStore           *self,
                              gint64                 folder_id,
                              gint64                 message_row,
                              gint64                 stamp,
                              CachetMessageSummary  *summary,
                              GError               **error)
{
  CachetMessageAddress *from = summary->from;
  gboolean sent;

  {
    g_autoptr(CachetCachedStatement) role = cached_statement (self, STATEMENT_FOLDER_ROLE, error);
    g_autoptr(GError) local_error = NULL;

    if (role == NULL)
      return FALSE;
    sqlite3_bind_int64 (role, 1, folder_id);
    if (!step_row (self, role, &local_error))
      {
        if (local_error == NULL)
          return TRUE;
        g_propagate_error (error, g_steal_pointer (&local_error));
        return FALSE;
      }
    if (sqlite3_column_type (role, 0) == SQLITE_NULL)
      return TRUE;
    sent = sqlite3_column_int (role, 0) != 0;
  }

  if (!sent)
    return from == NULL || from->address == NULL ||
           record_mailbox_locked (self, message_row, stamp, FALSE, from, error);

  {
    GPtrArray *lists[] = { summary->to, summary->cc };

    for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
      {
        for (guint j = 0; lists[i] != NULL && j < lists[i]->len; j++)
          {
            CachetMessageAddress *mailbox = g_ptr_array_index (lists[i], j);

            if (mailbox->address == NULL ||
                (from != NULL && from->address != NULL &&
                 g_ascii_strcasecmp (mailbox->address, from->address) == 0))
              continue;
            if (!record_mailbox_locked (self, message_row, stamp, TRUE, mailbox, error))
              return FALSE;
          }
      }
  }
  return TRUE;
}

/* Inserts one message row and its full-text row, and records its
 * correspondents. Called inside a transaction, which calls
 * flush_correspondents_locked() before it commits; @summary is %NULL when
 * the bytes could not be read as a message, which still deserves a row:
 * the server has it. */
static gboolean
insert_message_locked (CachetStore           *self,
                       gint64                 folder_id,
                       guint32                uid,
                       const char            *filename,
                       gint64                 internal_date,
                       gint64                 size,
                       guint64                modseq,
                       CachetMessageFlags     flags,
                       const char            *keywords,
                       CachetMessageSummary  *summary,
                       GError               **error)
{
  g_autoptr(CachetCachedStatement) insert = NULL;
  g_autoptr(CachetCachedStatement) insert_text = NULL;
  g_autofree char *to = NULL;
  g_autofree char *cc = NULL;
  g_autofree char *refs = NULL;
  g_autofree char *mss = NULL;
  g_autofree char *sender = NULL;
  g_autofree char *recipients = NULL;
  CachetMessageAddress *from = summary != NULL ? summary->from : NULL;
  gint64 message_row;

  insert = cached_statement (self, STATEMENT_INSERT_MESSAGE, error);
  if (insert == NULL)
    return FALSE;
  insert_text = cached_statement (self, STATEMENT_INSERT_MESSAGE_TEXT, error);
  if (insert_text == NULL)
    return FALSE;

  if (summary != NULL)
    {
      to = cachet_message_address_list_to_string (summary->to);
      cc = cachet_message_address_list_to_string (summary->cc);
      refs = join_summary_strings (summary->references, " ");
      mss = join_mss_headers (summary->mss_headers);
    }

  sqlite3_bind_int64 (insert, 1, folder_id);
  sqlite3_bind_int64 (insert, 2, uid);
  bind_text (insert, 3, filename);
  sqlite3_bind_int64 (insert, 4, internal_date);
  sqlite3_bind_int64 (insert, 5, size);
  sqlite3_bind_int64 (insert, 6, (sqlite3_int64) modseq);
  sqlite3_bind_int (insert, 7, (flags & CACHET_MESSAGE_FLAG_SEEN) != 0);
  sqlite3_bind_int (insert, 8, (flags & CACHET_MESSAGE_FLAG_ANSWERED) != 0);
  sqlite3_bind_int (insert, 9, (flags & CACHET_MESSAGE_FLAG_FLAGGED) != 0);
  sqlite3_bind_int (insert, 10, (flags & CACHET_MESSAGE_FLAG_DELETED) != 0);
  sqlite3_bind_int (insert, 11, (flags & CACHET_MESSAGE_FLAG_DRAFT) != 0);
  bind_text (insert, 12, keywords);
  bind_text (insert, 13, summary != NULL ? summary->message_id : NULL);
  bind_text (insert, 14, summary != NULL ? summary->in_reply_to : NULL);
  bind_text (insert, 15, refs != NULL ? refs : "");
  if (summary != NULL && summary->date != NULL)
    sqlite3_bind_int64 (insert, 16, g_date_time_to_unix (summary->date));
  else
    sqlite3_bind_null (insert, 16);
  bind_text (insert, 17, from != NULL ? from->name : NULL);
  bind_text (insert, 18, from != NULL ? from->address : NULL);
  bind_text (insert, 19, to != NULL ? to : "");
  bind_text (insert, 20, cc != NULL ? cc : "");
  bind_text (insert, 21, summary != NULL ? summary->subject : NULL);
  sqlite3_bind_int (insert, 22, summary != NULL && summary->has_attachment);
  sqlite3_bind_int (insert, 23, summary != NULL && summary->is_signed);
  sqlite3_bind_int (insert, 24, summary != NULL && summary->is_encrypted);
  bind_text (insert, 25, mss != NULL ? mss : "");
  sqlite3_bind_int64 (insert, 26, summary != NULL ? summary->issues : 0);
  if (!step_done (self, insert, error))
    return FALSE;
  message_row = sqlite3_last_insert_rowid (self->db);

  sender = g_strjoin (" ", from != NULL && from->name != NULL ? from->name : "",
                      from != NULL ? from->address : "", NULL);
  recipients = g_strjoin ("\n", to != NULL ? to : "", cc != NULL ? cc : "", NULL);
  sqlite3_bind_int64 (insert_text, 1, message_row);
  bind_text (insert_text, 2, sender);
  bind_text (insert_text, 3, recipients);
  bind_text (insert_text, 4, summary != NULL ? summary->subject : NULL);
  bind_text (insert_text, 5, summary != NULL ? summary->body_text : NULL);

  return step_done (self, insert_text, error) &&
         (summary == NULL ||
          record_correspondents_locked (self, folder_id, message_row, internal_date, summary, error));
}

#define MESSAGE_INFO_FROM "FROM messages AS m JOIN folders AS f ON f.id = m.folder_id "

static CachetMessageInfo *
get_message_locked (CachetStore  *self,
                    gint64        folder_id,
                    guint32       uid,
                    GError      **error)
{
  g_autoptr(sqlite3_stmt) statement = NULL;
  g_autoptr(GError) local_error = NULL;

  statement = prepare (self,
                       "SELECT " CACHET_MESSAGE_INFO_COLUMNS " " MESSAGE_INFO_FROM
                       "WHERE m.folder_id = ?1 AND m.uid = ?2", error);
  if (statement == NULL)
    return NULL;
  sqlite3_bind_int64 (statement, 1, folder_id);
  sqlite3_bind_int64 (statement, 2, uid);

  if (step_row (self, statement, &local_error))
    return _cachet_message_info_new_from_row (statement);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    g_set_error_literal (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_NOT_FOUND,
                         _("No such message"));
  return NULL;
}

/* SQLITE_ROW: TRUE; else FALSE, with @error set if the index failed. */
static gboolean
has_message_locked (CachetStore  *self,
                    gint64        folder_id,
                    guint32       uid,
                    GError      **error)
{
  g_autoptr(CachetCachedStatement) statement = cached_statement (self, STATEMENT_HAS_MESSAGE, error);

  if (statement == NULL)
    return FALSE;
  sqlite3_bind_int64 (statement, 1, folder_id);
  sqlite3_bind_int64 (statement, 2, uid);
  return step_row (self, statement, error);
}

static GArray *
list_uids_locked (CachetStore  *self,
                  gint64        folder_id,
                  GError      **error)
{
  g_autoptr(sqlite3_stmt) statement = NULL;
  g_autoptr(GArray) uids = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GError) local_error = NULL;

  statement = prepare (self, "SELECT uid FROM messages WHERE folder_id = ?1 ORDER BY uid", error);
  if (statement == NULL)
    return NULL;
  sqlite3_bind_int64 (statement, 1, folder_id);
  while (step_row (self, statement, &local_error))
    {
      guint32 uid = (guint32) sqlite3_column_int64 (statement, 0);

      g_array_append_val (uids, uid);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&uids);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const CachetMaildirEntry *entry_a = *(const CachetMaildirEntry * const *) a;
  const CachetMaildirEntry *entry_b = *(const CachetMaildirEntry * const *) b;

  return strcmp (entry_a->filename, entry_b->filename);
}

/* Gives a file of the Maildir its index row, as found on disk. */
static gboolean
index_entry_locked (CachetStore               *self,
                    CachetMaildir             *maildir,
                    gint64                     folder_id,
                    const CachetMaildirEntry  *entry,
                    GCancellable              *cancellable,
                    GError                   **error)
{
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(CachetMessageSummary) summary = NULL;
  g_autofree char *keywords = NULL;

  raw = cachet_maildir_read (maildir, entry->filename, cancellable, error);
  if (raw == NULL)
    return FALSE;
  summary = cachet_message_summary_new_from_bytes (raw, NULL);
  keywords = g_strjoinv (" ", entry->keywords);
  return insert_message_locked (self, folder_id, entry->uid, entry->filename,
                                entry->internal_date, entry->size, entry->modseq,
                                entry->flags, keywords, summary, error);
}

/* A crash between a delivery and its index row leaves a file the index does
 * not know: its message would be downloaded and stored a second time, or,
 * gone from the server meanwhile, never removed. Before the first delivery
 * into a folder, such files get their rows, as a reindex would give them;
 * then the sync treats them like any stored message. What a crash left in
 * tmp/ goes at the same time. */
static gboolean
adopt_unindexed_files_locked (CachetStore    *self,
                              const char     *folder,
                              gint64          folder_id,
                              CachetMaildir  *maildir,
                              GCancellable   *cancellable,
                              GError        **error)
{
  g_autoptr(GHashTable) indexed = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GArray) uids = NULL;

  if (g_hash_table_contains (self->adopted_folders, folder))
    return TRUE;

  uids = list_uids_locked (self, folder_id, error);
  entries = uids != NULL ? cachet_maildir_list (maildir, cancellable, error) : NULL;
  if (entries == NULL || !cachet_maildir_remove_stale_tmp (maildir, error))
    return FALSE;
  /* Two files for one UID: the same one is kept on every run, as reindex
   * does. */
  g_ptr_array_sort (entries, compare_entries);

  for (guint i = 0; i < uids->len; i++)
    g_hash_table_add (indexed, GUINT_TO_POINTER (g_array_index (uids, guint32, i)));
  if (!begin (self, error))
    return FALSE;
  for (guint i = 0; i < entries->len; i++)
    {
      CachetMaildirEntry *entry = g_ptr_array_index (entries, i);

      if (entry->uid == 0 || g_hash_table_contains (indexed, GUINT_TO_POINTER (entry->uid)))
        continue;
      g_hash_table_add (indexed, GUINT_TO_POINTER (entry->uid));
      if (!index_entry_locked (self, maildir, folder_id, entry, cancellable, error))
        {
          rollback (self);
          return FALSE;
        }
    }
  if (!flush_correspondents_locked (self, error))
    {
      rollback (self);
      return FALSE;
    }
  if (!commit (self, error))
    return FALSE;

  g_hash_table_add (self->adopted_folders, g_strdup (folder));
  return TRUE;
}

/* Messages arriving from the server are stored a batch at a time: each file
 * is written and synced as it comes, the directory is synced once, and the
 * rows go into the index in one transaction. Syncing and committing once
 * per message would cost more than everything else together.
 *
 * The files are written, and the messages read for their rows, by a few
 * threads of the batch while the caller receives the next ones. An fsync
 * mostly waits for the disk to flush its cache, and one flush serves every
 * fsync waiting for it: several files are made durable in the time of one.
 * Each file is still synced before it enters cur/, and every file of the
 * batch before its rows are committed. */
#define DELIVERY_THREADS 4
/* Messages handed to the threads and not yet written, at most: should the
 * network outrun the disk, the caller waits rather than memory grows. */
#define MAX_DELIVERING (2 * DELIVERY_THREADS)

struct _CachetStoreBatch
{
  CachetStore   *store;
  char          *folder;
  gint64         folder_id;
  CachetMaildir *maildir;
  /* PendingRow: being delivered, or delivered and waiting for their rows.
   * The array is the caller's; a row belongs to its delivery until
   * wait_for_deliveries() returns. */
  GPtrArray     *rows;
  GHashTable    *uids;
  GThreadPool   *deliveries; /* created at the first message */

  GMutex         delivery_lock;
  GCond          delivery_done;
  guint          delivering;     /* under delivery_lock */
  GError        *delivery_error; /* the first one, under delivery_lock */
};

typedef struct
{
  guint32               uid;
  char                 *filename; /* NULL until delivered, and if that failed */
  gint64                internal_date;
  gint64                size;
  guint64               modseq;
  CachetMessageFlags    flags;
  char                 *keywords;
  CachetMessageSummary *summary;
  /* What the delivery needs, dropped once done. */
  GBytes               *raw;
  char                **kept_keywords;
  GCancellable         *cancellable;
} PendingRow;

static void
pending_row_free (PendingRow *row)
{
  g_free (row->filename);
  g_free (row->keywords);
  g_clear_pointer (&row->summary, cachet_message_summary_free);
  g_clear_pointer (&row->raw, g_bytes_unref);
  g_strfreev (row->kept_keywords);
  g_clear_object (&row->cancellable);
  g_free (row);
}

/* In a thread of the batch's pool. */
static void
deliver_row (gpointer data,
             gpointer user_data)
{
  PendingRow *row = data;
  CachetStoreBatch *batch = user_data;
  g_autoptr(GError) error = NULL;
  gboolean failed_before;

  g_mutex_lock (&batch->delivery_lock);
  failed_before = batch->delivery_error != NULL;
  g_mutex_unlock (&batch->delivery_lock);

  /* After a failure the caller stops: what it queued since is dropped. */
  if (!failed_before)
    {
      /* A message that is no message is still the server's: it gets a row. */
      row->summary = cachet_message_summary_new_from_bytes (row->raw, NULL);
      row->filename = cachet_maildir_deliver_unsynced (batch->maildir, row->raw, row->uid, row->modseq,
                                                       row->flags,
                                                       (const char * const *) row->kept_keywords,
                                                       row->internal_date, row->cancellable, &error);
    }
  g_clear_pointer (&row->raw, g_bytes_unref);
  g_clear_pointer (&row->kept_keywords, g_strfreev);
  g_clear_object (&row->cancellable);

  g_mutex_lock (&batch->delivery_lock);
  if (error != NULL && batch->delivery_error == NULL)
    batch->delivery_error = g_steal_pointer (&error);
  batch->delivering--;
  g_cond_broadcast (&batch->delivery_done);
  g_mutex_unlock (&batch->delivery_lock);
}

static void
wait_for_deliveries (CachetStoreBatch *batch)
{
  g_mutex_lock (&batch->delivery_lock);
  while (batch->delivering > 0)
    g_cond_wait (&batch->delivery_done, &batch->delivery_lock);
  g_mutex_unlock (&batch->delivery_lock);
}

/* A copy of the first delivery error, if any. */
static gboolean
check_deliveries (CachetStoreBatch  *batch,
                  GError           **error)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&batch->delivery_lock);

  if (batch->delivery_error == NULL)
    return TRUE;
  g_propagate_error (error, g_error_copy (batch->delivery_error));
  return FALSE;
}

/**
 * cachet_store_batch_new:
 * @self: a #CachetStore
 * @folder: the folder the messages go to
 * @uidvalidity: the folder's UIDVALIDITY, as the caller knows it
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Starts storing messages into @folder. Blocking: call from a worker.
 *
 * Returns: (transfer full) (nullable): a batch for
 *   cachet_store_batch_add(), or %NULL (%CACHET_STORE_ERROR_UIDVALIDITY
 *   when the folder's UIDVALIDITY is another one)
 */
CachetStoreBatch *
cachet_store_batch_new (CachetStore   *self,
                        const char    *folder,
                        guint32        uidvalidity,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(CachetStoreBatch) batch = NULL;

  g_return_val_if_fail (CACHET_IS_STORE (self), NULL);
  g_return_val_if_fail (folder != NULL, NULL);

  batch = g_new0 (CachetStoreBatch, 1);
  batch->store = g_object_ref (self);
  batch->folder = g_strdup (folder);
  batch->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_row_free);
  batch->uids = g_hash_table_new (NULL, NULL);
  g_mutex_init (&batch->delivery_lock);
  g_cond_init (&batch->delivery_done);

  locker = g_mutex_locker_new (&self->lock);
  if (!lookup_folder_locked (self, folder, uidvalidity, &batch->folder_id, error))
    return NULL;
  batch->maildir = folder_maildir_locked (self, folder, error);
  if (batch->maildir == NULL)
    return NULL;
  g_object_ref (batch->maildir);
  if (!adopt_unindexed_files_locked (self, folder, batch->folder_id, batch->maildir, cancellable, error))
    return NULL;

  return g_steal_pointer (&batch);
}

/**
 * cachet_store_batch_add:
 * @batch: a #CachetStoreBatch
 * @uid: the message's UID
 * @raw: the message, exactly as the server sent it
 * @flags: its flags
 * @keywords: (nullable) (array zero-terminated=1): its keywords
 * @internal_date: its INTERNALDATE, unix seconds; 0 for now
 * @modseq: its MODSEQ, 0 without CONDSTORE
 * @stored: (out) (optional): whether @raw is being stored; %FALSE when the
 *   folder has @uid already, which is kept
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Has @raw written into the folder's Maildir and synced by a thread of the
 * batch, and returns meanwhile; cachet_store_batch_commit() waits for the
 * file, then gives it its row. Should writing a message of the batch fail,
 * the next call, or the commit, returns the error. Blocking: call from a
 * worker.
 *
 * Returns: %TRUE unless an error occurred
 */
gboolean
cachet_store_batch_add (CachetStoreBatch    *batch,
                        guint32              uid,
                        GBytes              *raw,
                        CachetMessageFlags   flags,
                        const char * const  *keywords,
                        gint64               internal_date,
                        guint64              modseq,
                        gboolean            *stored,
                        GCancellable        *cancellable,
                        GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  PendingRow *row;
  gboolean exists;

  g_return_val_if_fail (batch != NULL, FALSE);
  g_return_val_if_fail (raw != NULL, FALSE);

  if (stored != NULL)
    *stored = FALSE;
  if (uid == 0)
    {
      g_set_error_literal (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_INVALID,
                           _("A UID cannot be 0"));
      return FALSE;
    }
  if (!check_deliveries (batch, error))
    return FALSE;
  if (g_hash_table_contains (batch->uids, GUINT_TO_POINTER (uid)))
    return TRUE;
  g_mutex_lock (&batch->store->lock);
  exists = has_message_locked (batch->store, batch->folder_id, uid, &local_error);
  g_mutex_unlock (&batch->store->lock);
  if (exists)
    return TRUE;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* Exclusive: its threads all start here, so that pushing cannot fail. */
  if (batch->deliveries == NULL)
    {
      batch->deliveries = g_thread_pool_new (deliver_row, batch, DELIVERY_THREADS, TRUE, error);
      if (batch->deliveries == NULL)
        return FALSE;
    }

  row = g_new0 (PendingRow, 1);
  row->uid = uid;
  row->modseq = modseq;
  row->flags = flags;
  row->internal_date = internal_date > 0 ? internal_date : g_get_real_time () / G_USEC_PER_SEC;
  row->size = (gint64) g_bytes_get_size (raw);
  row->kept_keywords = normalize_keywords (keywords);
  row->keywords = g_strjoinv (" ", row->kept_keywords);
  row->raw = g_bytes_ref (raw);
  row->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  g_ptr_array_add (batch->rows, row);
  g_hash_table_add (batch->uids, GUINT_TO_POINTER (uid));

  g_mutex_lock (&batch->delivery_lock);
  while (batch->delivering >= MAX_DELIVERING)
    g_cond_wait (&batch->delivery_done, &batch->delivery_lock);
  batch->delivering++;
  g_mutex_unlock (&batch->delivery_lock);
  g_thread_pool_push (batch->deliveries, row, NULL);

  if (stored != NULL)
    *stored = TRUE;
  return TRUE;
}

/**
 * cachet_store_batch_commit:
 * @batch: a #CachetStoreBatch
 * @error: return location for a #GError
 *
 * Waits for the messages added so far to be durable, then gives them their
 * rows, in one transaction. Should this fail, the files stay: the folder's
 * next batch, or a reindex, gives them their rows. Should a message have
 * failed to be written, the others get their rows, then the error is
 * returned. Blocking: call from a worker.
 *
 * Returns: %TRUE on success
 */
gboolean
cachet_store_batch_commit (CachetStoreBatch  *batch,
                           GError           **error)
{
  CachetStore *self = batch->store;
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (batch != NULL, FALSE);

  if (batch->rows->len == 0)
    return TRUE;
  wait_for_deliveries (batch);
  /* The files first, the rows only then. */
  if (!cachet_maildir_sync (batch->maildir, error))
    return FALSE;

  locker = g_mutex_locker_new (&self->lock);
  if (!begin (self, error))
    goto unindexed;
  for (guint i = 0; i < batch->rows->len; i++)
    {
      PendingRow *row = g_ptr_array_index (batch->rows, i);

      if (row->filename == NULL)
        {
          /* Never written: the server still has it for the next sync. */
          g_hash_table_remove (batch->uids, GUINT_TO_POINTER (row->uid));
          continue;
        }
      if (!insert_message_locked (self, batch->folder_id, row->uid, row->filename, row->internal_date,
                                  row->size, row->modseq, row->flags, row->keywords, row->summary,
                                  error))
        {
          rollback (self);
          goto unindexed;
        }
    }
  if (!flush_correspondents_locked (self, error))
    {
      rollback (self);
      goto unindexed;
    }
  if (!commit (self, error))
    goto unindexed;

  g_ptr_array_set_size (batch->rows, 0);
  g_clear_pointer (&locker, g_mutex_locker_free);

  /* Every delivery is over: nothing else touches the error now. */
  if (batch->delivery_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&batch->delivery_error));
      return FALSE;
    }
  return TRUE;

unindexed:
  g_hash_table_remove (self->adopted_folders, batch->folder);
  return FALSE;
}

/**
 * cachet_store_batch_free:
 *
 * Frees @batch, once the messages added are written. Those not committed
 * keep their files, without rows until the folder's next batch.
 */
void
cachet_store_batch_free (CachetStoreBatch *batch)
{
  if (batch->deliveries != NULL)
    g_thread_pool_free (batch->deliveries, FALSE, TRUE);
  if (batch->rows->len > 0)
    {
      G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&batch->store->lock);

      g_hash_table_remove (batch->store->adopted_folders, batch->folder);
    }
  g_clear_object (&batch->store);
  g_clear_object (&batch->maildir);
  g_clear_pointer (&batch->folder, g_free);
  g_clear_pointer (&batch->rows, g_ptr_array_unref);
  g_clear_pointer (&batch->uids, g_hash_table_unref);
  g_clear_error (&batch->delivery_error);
  g_mutex_clear (&batch->delivery_lock);
  g_cond_clear (&batch->delivery_done);
  g_free (batch);
}

/**
 * cachet_store_add_message:
 * @self: a #CachetStore
 * @folder: the folder the message is in
 * @uidvalidity: the folder's UIDVALIDITY
 * @uid: the message's UID
 * @raw: the message, as fetched
 * @flags: its flags
 * @keywords: (nullable) (array zero-terminated=1): its keywords; those that
 *   are no valid atom are dropped
 * @internal_date: its INTERNALDATE, unix seconds; 0 for now
 * @modseq: its MODSEQ, 0 without CONDSTORE
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Stores a message fetched from the server: first its bytes, durably, in the
 * folder's Maildir, then its index row in one transaction. Adding the same
 * UID again returns the row already there, and writes nothing. A message
 * that cannot be parsed is stored all the same, with an empty summary.
 * Blocking (fsync): call from a worker, or use
 * cachet_store_add_message_async().
 *
 * Returns: (transfer full): the message's row, or %NULL.
 */
CachetMessageInfo *
cachet_store_add_message (CachetStore         *self,
                          const char          *folder,
                          guint32              uidvalidity,
                          guint32              uid,
                          GBytes              *raw,
                          CachetMessageFlags   flags,
                          const char * const  *keywords,
                          gint64               internal_date,
                          guint64              modseq,
                          GCancellable        *cancellable,
                          GError             **error)
{
  g_autoptr(CachetStoreBatch) batch = NULL;

  g_return_val_if_fail (CACHET_IS_STORE (self), NULL);
  g_return_val_if_fail (folder != NULL, NULL);
  g_return_val_if_fail (raw != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  batch = cachet_store_batch_new (self, folder, uidvalidity, cancellable, error);
  if (batch == NULL ||
      !cachet_store_batch_add (batch, uid, raw, flags, keywords, internal_date, modseq, NULL,
                               cancellable, error) ||
      !cachet_store_batch_commit (batch, error))
    return NULL;
  return cachet_store_get_message (self, folder, uid, error);
}

typedef struct
{
  gint64               id;
  char                *filename;
  guint64              modseq;
  CachetMessageFlags   flags;
  char                *keywords;
} FlagRow;

static void
flag_row_clear (FlagRow *row)
{
  g_clear_pointer (&row->filename, g_free);
  g_clear_pointer (&row->keywords, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FlagRow, flag_row_clear)

static const CachetMessageFlags flag_columns[] = {
  CACHET_MESSAGE_FLAG_SEEN, CACHET_MESSAGE_FLAG_ANSWERED, CACHET_MESSAGE_FLAG_FLAGGED,
  CACHET_MESSAGE_FLAG_DELETED, CACHET_MESSAGE_FLAG_DRAFT,
};

/* The statements that read and write one message's flags. */
typedef struct
{
  CachetMaildir *maildir;
  gint64         folder_id;
  sqlite3_stmt  *select;
  sqlite3_stmt  *update;
} FlagWriter;

static void
flag_writer_clear (FlagWriter *writer)
{
  g_clear_pointer (&writer->select, sqlite3_finalize);
  g_clear_pointer (&writer->update, sqlite3_finalize);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FlagWriter, flag_writer_clear)

static gboolean
flag_writer_init_locked (CachetStore   *self,
                         FlagWriter    *writer,
                         const char    *folder,
                         gint64         folder_id,
                         GError       **error)
{
  writer->folder_id = folder_id;
  writer->maildir = folder_maildir_locked (self, folder, error);
  if (writer->maildir == NULL)
    return FALSE;
  writer->select = prepare (self,
                            "SELECT id, filename, modseq, seen, answered, flagged, deleted, draft, "
                            "       keywords "
                            "FROM messages WHERE folder_id = ?1 AND uid = ?2", error);
  if (writer->select == NULL)
    return FALSE;
  writer->update = prepare (self,
                            "UPDATE messages SET filename = ?2, modseq = ?3, seen = ?4, "
                            "  answered = ?5, flagged = ?6, deleted = ?7, draft = ?8, keywords = ?9 "
                            "WHERE id = ?1", error);
  return writer->update != NULL;
}

/* Fills @row with the message's flags. FALSE without error: no such UID. */
static gboolean
flag_writer_read (CachetStore  *self,
                  FlagWriter   *writer,
                  guint32       uid,
                  FlagRow      *row,
                  GError      **error)
{
  sqlite3_reset (writer->select);
  sqlite3_bind_int64 (writer->select, 1, writer->folder_id);
  sqlite3_bind_int64 (writer->select, 2, uid);
  if (!step_row (self, writer->select, error))
    return FALSE;

  row->id = sqlite3_column_int64 (writer->select, 0);
  row->filename = dup_column (writer->select, 1);
  row->modseq = (guint64) sqlite3_column_int64 (writer->select, 2);
  for (gsize j = 0; j < G_N_ELEMENTS (flag_columns); j++)
    {
      if (sqlite3_column_int (writer->select, 3 + (int) j) != 0)
        row->flags |= flag_columns[j];
    }
  row->keywords = dup_column (writer->select, 8);
  sqlite3_reset (writer->select);
  return TRUE;
}

/* Renames the file, then updates the row: the caller's transaction makes
 * the rows of a batch change together. */
static gboolean
flag_writer_write (CachetStore         *self,
                   FlagWriter          *writer,
                   const FlagRow       *row,
                   guint64              modseq,
                   CachetMessageFlags   flags,
                   const char * const  *keywords,
                   GError             **error)
{
  g_autofree char *keywords_text = g_strjoinv (" ", (char **) keywords);
  g_autofree char *new_filename = NULL;
  g_autoptr(GError) local_error = NULL;

  if (modseq == row->modseq && flags == row->flags && g_strcmp0 (keywords_text, row->keywords) == 0)
    return TRUE;

  new_filename = cachet_maildir_set_flags (writer->maildir, row->filename, modseq, flags, keywords,
                                           &local_error);
  if (new_filename == NULL)
    {
      /* A file removed behind our back: the row still follows the server,
       * reindex will drop it. Anything else is an error. */
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      new_filename = g_strdup (row->filename);
    }

  sqlite3_reset (writer->update);
  sqlite3_bind_int64 (writer->update, 1, row->id);
  bind_text (writer->update, 2, new_filename);
  sqlite3_bind_int64 (writer->update, 3, (sqlite3_int64) modseq);
  for (gsize j = 0; j < G_N_ELEMENTS (flag_columns); j++)
    sqlite3_bind_int (writer->update, 4 + (int) j, (flags & flag_columns[j]) != 0);
  bind_text (writer->update, 9, keywords_text);
  return step_done (self, writer->update, error);
}

/**
 * cachet_store_update_flags:
 * @self: a #CachetStore
 * @folder: a folder name
 * @uidvalidity: the folder's UIDVALIDITY
 * @updates: (array length=n_updates): the new flags of some messages
 * @n_updates: the number of updates
 * @error: return location for a #GError
 *
 * Records new flags, as the server reports them (FETCH FLAGS MODSEQ) or as
 * the user sets them (modseq 0). An update older than the recorded MODSEQ is
 * ignored, as is one for a UID the store does not have. The files are
 * renamed first, then the rows updated in one transaction. Blocking: call
 * from a worker.
 *
 * Returns: %TRUE on success.
 */
gboolean
cachet_store_update_flags (CachetStore             *self,
                           const char              *folder,
                           guint32                  uidvalidity,
                           const CachetFlagUpdate  *updates,
                           guint                    n_updates,
                           GError                 **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_auto(FlagWriter) writer = { 0 };
  gint64 folder_id;

  g_return_val_if_fail (CACHET_IS_STORE (self), FALSE);
  g_return_val_if_fail (folder != NULL, FALSE);
  g_return_val_if_fail (updates != NULL || n_updates == 0, FALSE);

  locker = g_mutex_locker_new (&self->lock);

  if (!lookup_folder_locked (self, folder, uidvalidity, &folder_id, error) ||
      !flag_writer_init_locked (self, &writer, folder, folder_id, error) ||
      !begin (self, error))
    return FALSE;

  for (guint i = 0; i < n_updates; i++)
    {
      const CachetFlagUpdate *change = &updates[i];
      g_auto(FlagRow) row = { 0 };
      g_auto(GStrv) keywords = normalize_keywords (change->keywords);
      g_autoptr(GError) local_error = NULL;

      if (!flag_writer_read (self, &writer, change->uid, &row, &local_error))
        {
          if (local_error == NULL)
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          rollback (self);
          return FALSE;
        }
      if (change->modseq != 0 && change->modseq < row.modseq)
        continue;
      if (!flag_writer_write (self, &writer, &row,
                              change->modseq != 0 ? change->modseq : row.modseq,
                              change->flags & CACHET_MESSAGE_FLAG_ALL,
                              (const char * const *) keywords, error))
        {
          rollback (self);
          return FALSE;
        }
    }

  return commit (self, error);
}

/* Deletes the rows of @folder_id's UIDs in [@first, @last], in the caller's
 * transaction, adding their file names to @filenames. */
static gboolean
delete_rows_locked (CachetStore  *self,
                    gint64        folder_id,
                    guint32       first,
                    guint32       last,
                    GPtrArray    *filenames,
                    GError      **error)
{
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) delete_text = NULL;
  g_autoptr(sqlite3_stmt) delete = NULL;
  g_autoptr(GError) local_error = NULL;

  select = prepare (self,
                    "SELECT filename FROM messages WHERE folder_id = ?1 AND uid BETWEEN ?2 AND ?3",
                    error);
  delete_text = prepare (self,
                         "DELETE FROM messages_fts WHERE rowid IN "
                         "  (SELECT id FROM messages "
                         "   WHERE folder_id = ?1 AND uid BETWEEN ?2 AND ?3)",
                         error);
  delete = prepare (self,
                    "DELETE FROM messages WHERE folder_id = ?1 AND uid BETWEEN ?2 AND ?3",
                    error);
  if (select == NULL || delete_text == NULL || delete == NULL)
    return FALSE;

  for (int column = 1; column <= 3; column++)
    {
      sqlite3_int64 value = column == 1 ? folder_id : column == 2 ? MIN (first, last) :
                            MAX (first, last);

      sqlite3_bind_int64 (select, column, value);
      sqlite3_bind_int64 (delete_text, column, value);
      sqlite3_bind_int64 (delete, column, value);
    }
  while (step_row (self, select, &local_error))
    g_ptr_array_add (filenames, dup_column (select, 0));
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return step_done (self, delete_text, error) && step_done (self, delete, error);
}

/* After the commit that dropped their rows. */
static void
remove_files (CachetMaildir *maildir,
              GPtrArray     *filenames)
{
  for (guint i = 0; i < filenames->len; i++)
    {
      g_autoptr(GError) remove_error = NULL;

      if (!cachet_maildir_remove (maildir, g_ptr_array_index (filenames, i), &remove_error) &&
          !g_error_matches (remove_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_warning ("Cannot remove a message file: %s", remove_error->message);
    }
}

/**
 * cachet_store_remove_messages:
 * @self: a #CachetStore
 * @folder: a folder name
 * @uidvalidity: the folder's UIDVALIDITY
 * @ranges: (array length=n_ranges): the UIDs the server expunged
 * @n_ranges: the number of ranges
 * @error: return location for a #GError
 *
 * Forgets messages the server no longer has (EXPUNGE, VANISHED): their rows
 * go in one transaction, then their files. UIDs the store does not have are
 * ignored. Blocking: call from a worker.
 *
 * Returns: %TRUE on success.
 */
gboolean
cachet_store_remove_messages (CachetStore           *self,
                              const char            *folder,
                              guint32                uidvalidity,
                              const CachetUidRange  *ranges,
                              guint                  n_ranges,
                              GError               **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) filenames = g_ptr_array_new_with_free_func (g_free);
  CachetMaildir *maildir;
  gint64 folder_id;

  g_return_val_if_fail (CACHET_IS_STORE (self), FALSE);
  g_return_val_if_fail (folder != NULL, FALSE);
  g_return_val_if_fail (ranges != NULL || n_ranges == 0, FALSE);

  locker = g_mutex_locker_new (&self->lock);

  if (!lookup_folder_locked (self, folder, uidvalidity, &folder_id, error))
    return FALSE;
  maildir = folder_maildir_locked (self, folder, error);
  if (maildir == NULL || !begin (self, error))
    return FALSE;

  for (guint i = 0; i < n_ranges; i++)
    {
      if (!delete_rows_locked (self, folder_id, ranges[i].first, ranges[i].last, filenames, error))
        {
          rollback (self);
          return FALSE;
        }
    }
  if (!commit (self, error))
    return FALSE;

  /* The rows are gone first: the server is the authority here, and a file
   * left by a crash at this point is re-indexed, then expunged again by the
   * next sync, rather than a row pointing at nothing. */
  remove_files (maildir, filenames);
  return TRUE;
}

/**
 * cachet_store_get_message:
 * @self: a #CachetStore
 * @folder: a folder name
 * @uid: a UID
 * @error: return location for a #GError
 *
 * Blocking: call from a worker.
 *
 * Returns: (transfer full): the message's row, or %NULL with
 *   %CACHET_STORE_ERROR_NOT_FOUND.
 */
CachetMessageInfo *
cachet_store_get_message (CachetStore  *self,
                          const char   *folder,
                          guint32       uid,
                          GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(CachetFolderInfo) info = NULL;
  gint64 folder_id;

  g_return_val_if_fail (CACHET_IS_STORE (self), NULL);
  g_return_val_if_fail (folder != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  info = get_folder_locked (self, folder, &folder_id, error);
  if (info == NULL)
    return NULL;
  return get_message_locked (self, folder_id, uid, error);
}

/**
 * cachet_store_load_message:
 * @self: a #CachetStore
 * @folder: a folder name
 * @uid: a UID
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads a stored message. Blocking: call from a worker, or use
 * cachet_store_load_message_async().
 *
 * Returns: (transfer full): the raw message, or %NULL.
 */
GBytes *
cachet_store_load_message (CachetStore   *self,
                           const char    *folder,
                           guint32        uid,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(CachetMessageInfo) info = NULL;
  g_autoptr(CachetFolderInfo) folder_info = NULL;
  g_autoptr(CachetMaildir) maildir = NULL;
  CachetMaildir *folder_maildir;
  gint64 folder_id;

  g_return_val_if_fail (CACHET_IS_STORE (self), NULL);
  g_return_val_if_fail (folder != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  folder_info = get_folder_locked (self, folder, &folder_id, error);
  if (folder_info == NULL)
    return NULL;
  info = get_message_locked (self, folder_id, uid, error);
  if (info == NULL)
    return NULL;
  folder_maildir = folder_maildir_locked (self, folder, error);
  if (folder_maildir == NULL)
    return NULL;
  maildir = g_object_ref (folder_maildir);
  /* Reading needs no lock: Maildir files are never changed in place. */
  g_clear_pointer (&locker, g_mutex_locker_free);

  return cachet_maildir_read (maildir, _cachet_message_info_get_filename (info),
                              cancellable, error);
}

/**
 * cachet_store_count_messages:
 * @self: a #CachetStore
 * @folder: a folder name
 * @error: return location for a #GError
 *
 * Blocking: call from a worker, or use cachet_store_count_messages_async().
 *
 * Returns: how many messages cachet_store_list_messages() can return, or
 *   -1 on error.
 */
gint64
cachet_store_count_messages (CachetStore  *self,
                             const char   *folder,
                             GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(CachetFolderInfo) info = NULL;

  g_return_val_if_fail (CACHET_IS_STORE (self), -1);
  g_return_val_if_fail (folder != NULL, -1);

  locker = g_mutex_locker_new (&self->lock);
  info = get_folder_locked (self, folder, NULL, error);
  return info != NULL ? (gint64) info->total_count : -1;
}

static GPtrArray *
collect_messages (CachetStore   *self,
                  sqlite3_stmt  *statement,
                  GError       **error)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) local_error = NULL;

  while (step_row (self, statement, &local_error))
    g_ptr_array_add (messages, _cachet_message_info_new_from_row (statement));
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&messages);
}

/**
 * cachet_store_list_uids:
 * @self: a #CachetStore
 * @folder: a folder name
 * @uidvalidity: the folder's UIDVALIDITY, as the caller knows it
 * @error: return location for a #GError
 *
 * Lists the UIDs stored for a folder, so that a sync can tell what the server
 * added or removed. Blocking: call from a worker.
 *
 * Returns: (transfer full) (element-type guint32): the UIDs in ascending
 *   order, or %NULL on error (%CACHET_STORE_ERROR_UIDVALIDITY when the
 *   folder's UIDVALIDITY is another one)
 */
GArray *
cachet_store_list_uids (CachetStore  *self,
                        const char   *folder,
                        guint32       uidvalidity,
                        GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gint64 folder_id;

  g_return_val_if_fail (CACHET_IS_STORE (self), NULL);
  g_return_val_if_fail (folder != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  if (!lookup_folder_locked (self, folder, uidvalidity, &folder_id, error))
    return NULL;
  return list_uids_locked (self, folder_id, error);
}

/**
 * cachet_store_list_messages:
 * @self: a #CachetStore
 * @folder: a folder name
 * @offset: how many messages to skip
 * @limit: how many messages to return at most (capped at 10000)
 * @error: return location for a #GError
 *
 * Lists a page of a folder, newest first (by INTERNALDATE, then UID): with
 * cachet_store_count_messages(), what a lazy list model needs. Blocking:
 * call from a worker, or use cachet_store_list_messages_async().
 *
 * Returns: (transfer full) (element-type CachetMessageInfo): the page
 *   (empty for an unknown folder), or %NULL on error.
 */
GPtrArray *
cachet_store_list_messages (CachetStore  *self,
                            const char   *folder,
                            guint         offset,
                            guint         limit,
                            GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) statement = NULL;

  g_return_val_if_fail (CACHET_IS_STORE (self), NULL);
  g_return_val_if_fail (folder != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  statement = prepare (self,
                       "SELECT " CACHET_MESSAGE_INFO_COLUMNS " " MESSAGE_INFO_FROM
                       "WHERE f.name = ?1 "
                       "ORDER BY m.internal_date DESC, m.uid DESC LIMIT ?2 OFFSET ?3", error);
  if (statement == NULL)
    return NULL;
  bind_text (statement, 1, folder);
  sqlite3_bind_int64 (statement, 2, MIN (limit, MAX_PAGE));
  sqlite3_bind_int64 (statement, 3, offset);

  return collect_messages (self, statement, error);
}

static gboolean
has_word_character (const char *term)
{
  for (const char *p = term; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_isalnum (g_utf8_get_char (p)))
        return TRUE;
    }
  return FALSE;
}

/* User input never reaches FTS5 as syntax: each word becomes a quoted
 * string (quotes doubled), so operators, parentheses, column filters and
 * stray quotes are just text. Words are ANDed; the last one is a prefix, for
 * search as you type, or all of them with @all_prefixes. Words without a
 * letter or digit would be empty phrases and are dropped. Returns NULL if
 * nothing is left. */
static char *
build_match_expression (const char *query,
                        gboolean    all_prefixes)
{
  g_autoptr(GString) bounded = g_string_new (NULL);
  g_autoptr(GString) expression = g_string_new (NULL);
  g_autofree char *valid = g_utf8_make_valid (query, -1);
  g_auto(GStrv) words = NULL;
  guint n_terms = 0;

  g_string_append (bounded, valid);
  if (bounded->len > MAX_QUERY_BYTES)
    {
      gsize length = MAX_QUERY_BYTES;

      while (length > 0 && (bounded->str[length] & 0xc0) == 0x80)
        length--;
      g_string_truncate (bounded, length);
    }

  words = g_strsplit_set (bounded->str, " \t\r\n\f\v", -1);
  for (guint i = 0; words[i] != NULL && n_terms < MAX_QUERY_TERMS; i++)
    {
      if (!has_word_character (words[i]))
        continue;
      if (n_terms++ > 0)
        g_string_append (expression, all_prefixes ? "* " : " ");
      g_string_append_c (expression, '"');
      for (const char *p = words[i]; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (expression, '"');
          g_string_append_c (expression, *p);
        }
      g_string_append_c (expression, '"');
    }

  if (n_terms == 0)
    return NULL;
  g_string_append_c (expression, '*');
  return g_string_free (g_steal_pointer (&expression), FALSE);
}

/**
 * cachet_store_search:
 * @self: a #CachetStore
 * @folder: (nullable): a folder name, or %NULL for all folders
 * @query: what the user typed
 * @offset: how many results to skip
 * @limit: how many results to return at most (capped at 10000)
 * @error: return location for a #GError
 *
 * Finds the messages whose sender, recipients, subject or body contain every
 * word of @query (the last one as a prefix), ignoring case and accents:
 * "resultat" finds "Résultat". Any text is a valid query. Results come
 * newest first. Blocking: call from a worker, or use
 * cachet_store_search_async().
 *
 * Returns: (transfer full) (element-type CachetMessageInfo): the results,
 *   or %NULL on error.
 */
GPtrArray *
cachet_store_search (CachetStore  *self,
                     const char   *folder,
                     const char   *query,
                     guint         offset,
                     guint         limit,
                     GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) statement = NULL;
  g_autofree char *expression = NULL;

  g_return_val_if_fail (CACHET_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  expression = build_match_expression (query, FALSE);
  if (expression == NULL)
    return g_ptr_array_new_with_free_func (g_object_unref);

  locker = g_mutex_locker_new (&self->lock);
  statement = prepare (self,
                       "SELECT " CACHET_MESSAGE_INFO_COLUMNS " "
                       "FROM messages_fts JOIN messages AS m ON m.id = messages_fts.rowid "
                       "  JOIN folders AS f ON f.id = m.folder_id "
                       "WHERE messages_fts MATCH ?1 AND (?2 IS NULL OR f.name = ?2) "
                       "ORDER BY m.internal_date DESC, m.uid DESC LIMIT ?3 OFFSET ?4", error);
  if (statement == NULL)
    return NULL;
  bind_text (statement, 1, expression);
  bind_text (statement, 2, folder);
  sqlite3_bind_int64 (statement, 3, MIN (limit, MAX_PAGE));
  sqlite3_bind_int64 (statement, 4, offset);

  return collect_messages (self, statement, error);
}

/* The LIKE pattern of the addresses that start with @prefix, or %NULL when
 * none can: an address is shorter. */
static char *
build_address_pattern (const char *prefix)
{
  g_autoptr(GString) pattern = NULL;

  if (strlen (prefix) > MAX_ADDRESS_BYTES)
    return NULL;
  pattern = g_string_new (NULL);
  for (const char *p = prefix; *p != '\0'; p++)
    {
      if (*p == '\\' || *p == '%' || *p == '_')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');
  return g_string_free (g_steal_pointer (&pattern), FALSE);
}

static gboolean
is_excluded (const char         *address,
             const char * const *exclude)
{
  for (guint i = 0; exclude != NULL && exclude[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (address, exclude[i]) == 0)
        return TRUE;
    }
  return FALSE;
}

#define CORRESPONDENT_SELECT \
  "SELECT address, name, sent_count, received_count, last_seen, " \
  "       (" SENT_WEIGHT " * sent_count + received_count) " \
  "       / (1.0 + max (0, ?3 - last_seen) / " RECENCY_SECONDS ") AS score " \
  "FROM correspondents " \
  "WHERE sent_count + received_count > 0 AND "
#define CORRESPONDENT_ORDER "ORDER BY score DESC, address LIMIT ?4"

/**
 * cachet_store_search_correspondents:
 * @self: a #CachetStore
 * @query: what the user typed
 * @exclude: (nullable) (array zero-terminated=1): addresses never to
 *   return: the user's own
 * @limit: how many correspondents to return at most (capped at 100)
 * @error: return location for a #GError
 *
 * Finds the people the user exchanged mail with (the recipients of sent
 * mail, the senders of received mail) whose address starts with @query, or
 * whose name or address before the "@" has words starting with every word
 * of @query, ignoring case and accents: "hel mar" finds Hélène Martin.
 * Each address comes once, whatever its case. The most likely come first:
 * those the user wrote to more often, then received more mail from, and
 * more recently. Blocking: call from a worker, or use
 * cachet_store_search_correspondents_async().
 *
 * Returns: (transfer full) (element-type CachetCorrespondent): the
 *   correspondents, or %NULL on error.
 */
GPtrArray *
cachet_store_search_correspondents (CachetStore         *self,
                                    const char          *query,
                                    const char * const  *exclude,
                                    guint                limit,
                                    GError             **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) statement = NULL;
  g_autoptr(GPtrArray) correspondents = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *valid = NULL;
  g_autofree char *expression = NULL;
  g_autofree char *pattern = NULL;
  guint n_exclude;

  g_return_val_if_fail (CACHET_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  valid = g_strstrip (g_utf8_make_valid (query, -1));
  limit = MIN (limit, MAX_CORRESPONDENTS);
  if (*valid == '\0' || limit == 0)
    return g_steal_pointer (&correspondents);
  expression = build_match_expression (valid, TRUE);
  pattern = build_address_pattern (valid);
  if (expression == NULL && pattern == NULL)
    return g_steal_pointer (&correspondents);
  n_exclude = exclude != NULL ? g_strv_length ((char **) exclude) : 0;

  locker = g_mutex_locker_new (&self->lock);
  if (expression != NULL)
    statement = prepare (self,
                         CORRESPONDENT_SELECT
                         "  (id IN (SELECT rowid FROM correspondents_fts "
                         "          WHERE correspondents_fts MATCH ?1) "
                         "   OR address LIKE ?2 ESCAPE '\\') "
                         CORRESPONDENT_ORDER, error);
  else
    statement = prepare (self,
                         CORRESPONDENT_SELECT "address LIKE ?2 ESCAPE '\\' " CORRESPONDENT_ORDER,
                         error);
  if (statement == NULL)
    return NULL;
  if (expression != NULL)
    bind_text (statement, 1, expression);
  bind_text (statement, 2, pattern);
  sqlite3_bind_int64 (statement, 3, g_get_real_time () / G_USEC_PER_SEC);
  sqlite3_bind_int64 (statement, 4, (sqlite3_int64) limit + n_exclude);

  while (correspondents->len < limit && step_row (self, statement, &local_error))
    {
      const char *address = (const char *) sqlite3_column_text (statement, 0);

      if (is_excluded (address, exclude))
        continue;
      g_ptr_array_add (correspondents,
                       cachet_correspondent_new (address,
                                                 (const char *) sqlite3_column_text (statement, 1),
                                                 (guint) sqlite3_column_int64 (statement, 2),
                                                 (guint) sqlite3_column_int64 (statement, 3),
                                                 sqlite3_column_int64 (statement, 4),
                                                 sqlite3_column_double (statement, 5)));
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&correspondents);
}

/* Pending actions. */

/**
 * cachet_pending_action_new:
 * @kind: what the action does
 * @folder: the folder it acts on
 *
 * Returns: (transfer full): an action to fill in and give to
 *   cachet_store_queue_action().
 */
CachetPendingAction *
cachet_pending_action_new (CachetPendingActionKind  kind,
                           const char              *folder)
{
  CachetPendingAction *action = g_new0 (CachetPendingAction, 1);

  action->kind = kind;
  action->folder = g_strdup (folder);
  action->uids = g_array_new (FALSE, FALSE, sizeof (guint32));

  return action;
}

void
cachet_pending_action_free (CachetPendingAction *action)
{
  if (action == NULL)
    return;
  g_free (action->folder);
  g_clear_pointer (&action->uids, g_array_unref);
  g_strfreev (action->keywords);
  g_free (action->target_folder);
  g_free (action->message_id);
  g_free (action->last_error);
  g_free (action);
}

static CachetPendingAction *
pending_action_copy (const CachetPendingAction *action)
{
  CachetPendingAction *copy = g_new0 (CachetPendingAction, 1);

  *copy = *action;
  copy->folder = g_strdup (action->folder);
  copy->uids = g_array_copy (action->uids);
  copy->keywords = g_strdupv (action->keywords);
  copy->target_folder = g_strdup (action->target_folder);
  copy->message_id = g_strdup (action->message_id);
  copy->last_error = g_strdup (action->last_error);

  return copy;
}

/**
 * cachet_pending_action_kind_to_string:
 * @kind: a #CachetPendingActionKind
 *
 * Returns: its name, as the index and cachet-cli's JSON write it, such as
 *   "add-flags" or "delete-by-message-id"
 */
const char *
cachet_pending_action_kind_to_string (CachetPendingActionKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (pending_kinds), NULL);

  return pending_kinds[kind];
}

/**
 * cachet_pending_action_state_to_string:
 * @state: a #CachetPendingActionState
 *
 * Returns: its name, as the index and cachet-cli's JSON write it: "queued",
 *   "in-progress" or "failed"
 */
const char *
cachet_pending_action_state_to_string (CachetPendingActionState state)
{
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (pending_states), NULL);

  return pending_states[state];
}

/* The id goes into a UID SEARCH HEADER on the server: visible ASCII only,
 * nothing that could end or escape the quoted string. */
static gboolean
message_id_is_valid (const char *message_id)
{
  gsize length = strlen (message_id);

  if (length == 0 || length > MAX_MESSAGE_ID_BYTES)
    return FALSE;
  for (const char *p = message_id; *p != '\0'; p++)
    {
      if (*p < 0x21 || *p > 0x7e || *p == '"' || *p == '\\')
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_pending_action (const CachetPendingAction  *action,
                      GBytes                     *payload,
                      GError                    **error)
{
  gboolean with_uids = action->uids != NULL && action->uids->len > 0;
  gboolean valid = FALSE;

  switch (action->kind)
    {
    case CACHET_PENDING_ACTION_ADD_FLAGS:
    case CACHET_PENDING_ACTION_REMOVE_FLAGS:
      valid = with_uids &&
              (action->flags != 0 || (action->keywords != NULL && action->keywords[0] != NULL));
      break;
    case CACHET_PENDING_ACTION_MOVE:
      valid = with_uids && action->target_folder != NULL;
      break;
    case CACHET_PENDING_ACTION_DELETE:
      valid = with_uids;
      break;
    case CACHET_PENDING_ACTION_APPEND:
      valid = payload != NULL && !with_uids;
      break;
    case CACHET_PENDING_ACTION_DELETE_BY_MESSAGE_ID:
      valid = action->message_id != NULL && !with_uids;
      break;
    default:
      break;
    }

  for (guint i = 0; valid && with_uids && i < action->uids->len; i++)
    valid = g_array_index (action->uids, guint32, i) != 0;

  if (!valid)
    {
      g_set_error_literal (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_INVALID,
                           _("Incomplete pending action"));
      return FALSE;
    }
  if (action->message_id != NULL && action->kind != CACHET_PENDING_ACTION_APPEND &&
      action->kind != CACHET_PENDING_ACTION_DELETE_BY_MESSAGE_ID)
    {
      g_set_error_literal (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_INVALID,
                           _("Only appends and deletions by Message-ID name a Message-ID"));
      return FALSE;
    }
  if (action->message_id != NULL && !message_id_is_valid (action->message_id))
    {
      g_set_error_literal (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_INVALID,
                           _("The message’s Message-ID cannot be sent to the server"));
      return FALSE;
    }
  return TRUE;
}

/* Records @action in the caller's transaction, or alone; @payload_file is
 * its message, already durable in pending/. */
static gint64
insert_action_locked (CachetStore                *self,
                      const CachetPendingAction  *action,
                      const char                 *payload_file,
                      GError                    **error)
{
  g_autoptr(CachetFolderInfo) folder_info = NULL;
  g_autoptr(CachetFolderInfo) target_info = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(GString) uids = g_string_new (NULL);
  g_auto(GStrv) keywords = normalize_keywords ((const char * const *) action->keywords);
  g_autofree char *keywords_text = g_strjoinv (" ", keywords);
  gint64 folder_id;
  gint64 target_id = 0;

  for (guint i = 0; action->uids != NULL && i < action->uids->len; i++)
    g_string_append_printf (uids, "%s%u", i > 0 ? "," : "",
                            g_array_index (action->uids, guint32, i));

  folder_info = get_folder_locked (self, action->folder, &folder_id, error);
  if (folder_info == NULL)
    return 0;
  if (action->target_folder != NULL)
    {
      target_info = get_folder_locked (self, action->target_folder, &target_id, error);
      if (target_info == NULL)
        return 0;
    }

  insert = prepare (self,
                    "INSERT INTO pending_actions (kind, folder_id, uidvalidity, uids, flags, "
                    "  keywords, target_folder_id, payload, message_id, created) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", error);
  if (insert == NULL)
    return 0;
  bind_text (insert, 1, pending_kinds[action->kind]);
  sqlite3_bind_int64 (insert, 2, folder_id);
  sqlite3_bind_int64 (insert, 3, action->uidvalidity);
  bind_text (insert, 4, uids->str);
  sqlite3_bind_int64 (insert, 5, action->flags & CACHET_MESSAGE_FLAG_ALL);
  bind_text (insert, 6, keywords_text);
  if (target_id != 0)
    sqlite3_bind_int64 (insert, 7, target_id);
  else
    sqlite3_bind_null (insert, 7);
  bind_text (insert, 8, payload_file);
  bind_text (insert, 9, action->message_id);
  sqlite3_bind_int64 (insert, 10, g_get_real_time () / G_USEC_PER_SEC);
  if (!step_done (self, insert, error))
    return 0;

  return sqlite3_last_insert_rowid (self->db);
}

/* The message to append is the user's: on disk before the action is. */
static gboolean
save_payload_locked (CachetStore  *self,
                     GBytes       *payload,
                     char        **payload_file,
                     GError      **error)
{
  *payload_file = NULL;
  if (payload == NULL)
    return TRUE;
  *payload_file = cachet_maildir_deliver (self->pending, payload, 0, 0, CACHET_MESSAGE_FLAG_NONE,
                                          NULL, 0, NULL, error);
  return *payload_file != NULL;
}

/**
 * cachet_store_queue_action:
 * @self: a #CachetStore
 * @action: the action (its id, state, attempts, last error and creation
 *   time are ignored)
 * @payload: (nullable): for an append, the message; stored durably before
 *   the action is
 * @error: return location for a #GError
 *
 * Queues an action taken offline, to be replayed in order. The action is
 * only recorded: to show its effect locally as well, use
 * cachet_store_apply_action(). Blocking (fsync): call from a worker, or use
 * cachet_store_queue_action_async().
 *
 * Returns: the action's id, or 0 on error.
 */
gint64
cachet_store_queue_action (CachetStore                *self,
                           const CachetPendingAction  *action,
                           GBytes                     *payload,
                           GError                    **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *payload_file = NULL;

  g_return_val_if_fail (CACHET_IS_STORE (self), 0);
  g_return_val_if_fail (action != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!check_pending_action (action, payload, error) || !check_folder_name (action->folder, error))
    return 0;

  locker = g_mutex_locker_new (&self->lock);
  if (!save_payload_locked (self, payload, &payload_file, error))
    return 0;
  return insert_action_locked (self, action, payload_file, error);
}

/* A Message-ID as the index keeps it: without its angle brackets. */
static char *
bare_message_id (const char *message_id)
{
  gsize length = strlen (message_id);

  if (length >= 2 && message_id[0] == '<' && message_id[length - 1] == '>')
    return g_strndup (message_id + 1, length - 2);
  return g_strdup (message_id);
}

/* The UIDs of @folder_id's messages whose Message-ID is @message_id. */
static GArray *
uids_with_message_id_locked (CachetStore  *self,
                             gint64        folder_id,
                             const char   *message_id,
                             GError      **error)
{
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(GArray) uids = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GError) local_error = NULL;
  g_autofree char *bare = bare_message_id (message_id);

  select = prepare (self, "SELECT uid FROM messages WHERE folder_id = ?1 AND message_id = ?2",
                    error);
  if (select == NULL)
    return NULL;
  sqlite3_bind_int64 (select, 1, folder_id);
  bind_text (select, 2, bare);
  while (step_row (self, select, &local_error))
    {
      guint32 uid = (guint32) sqlite3_column_int64 (select, 0);

      g_array_append_val (uids, uid);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&uids);
}

/* Adds or removes the action's flags and keywords on its messages. */
static gboolean
apply_flags_locked (CachetStore                *self,
                    const CachetPendingAction  *action,
                    gint64                      folder_id,
                    GError                    **error)
{
  gboolean add = action->kind == CACHET_PENDING_ACTION_ADD_FLAGS;
  g_auto(FlagWriter) writer = { 0 };

  if (!flag_writer_init_locked (self, &writer, action->folder, folder_id, error))
    return FALSE;

  for (guint i = 0; i < action->uids->len; i++)
    {
      g_auto(FlagRow) row = { 0 };
      g_autoptr(GStrvBuilder) keywords = g_strv_builder_new ();
      g_auto(GStrv) current = NULL;
      g_auto(GStrv) changed = NULL;
      g_auto(GStrv) normalized = NULL;
      g_autoptr(GError) local_error = NULL;
      CachetMessageFlags flags;

      if (!flag_writer_read (self, &writer, g_array_index (action->uids, guint32, i), &row,
                             &local_error))
        {
          if (local_error == NULL)
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      flags = add ? row.flags | action->flags : row.flags & ~action->flags;
      current = g_strsplit (row.keywords, " ", -1);
      for (guint k = 0; current[k] != NULL; k++)
        {
          if (add || action->keywords == NULL ||
              !g_strv_contains ((const char * const *) action->keywords, current[k]))
            g_strv_builder_add (keywords, current[k]);
        }
      if (add && action->keywords != NULL)
        g_strv_builder_addv (keywords, (const char **) action->keywords);
      changed = g_strv_builder_end (keywords);
      normalized = normalize_keywords ((const char * const *) changed);

      if (!flag_writer_write (self, &writer, &row, row.modseq, flags,
                              (const char * const *) normalized, error))
        return FALSE;
    }
  return TRUE;
}

/* Takes the action's messages out of its folder's list, adding their file
 * names to @filenames. */
static gboolean
apply_removal_locked (CachetStore                *self,
                      const CachetPendingAction  *action,
                      gint64                      folder_id,
                      GPtrArray                  *filenames,
                      GError                    **error)
{
  g_autoptr(GArray) by_message_id = NULL;
  GArray *uids = action->uids;

  if (action->message_id != NULL)
    {
      by_message_id = uids_with_message_id_locked (self, folder_id, action->message_id, error);
      if (by_message_id == NULL)
        return FALSE;
      uids = by_message_id;
    }

  for (guint i = 0; i < uids->len; i++)
    {
      guint32 uid = g_array_index (uids, guint32, i);

      if (!delete_rows_locked (self, folder_id, uid, uid, filenames, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * cachet_store_apply_action:
 * @self: a #CachetStore
 * @action: the action (its id, state, attempts, last error and creation
 *   time are ignored); for actions on UIDs, @uidvalidity must be the
 *   folder's
 * @payload: (nullable): for an append, the message
 * @error: return location for a #GError
 *
 * Does what the user asked at once in the local index, and queues it for the
 * server, in one transaction: a crash never leaves one without the other.
 * Flags change on the messages (and the unread count with them); moved and
 * deleted messages leave the folder's list, as do the previous versions of a
 * draft an append replaces and the messages a deletion by Message-ID names.
 * A moved or appended message shows up where it goes at that folder's next
 * sync, once the server has it. UIDs the index does not have are sent to the
 * server all the same. Blocking (fsync): call from a worker, or use
 * cachet_store_apply_action_async().
 *
 * Returns: the action's id, or 0 on error (then nothing changed).
 */
gint64
cachet_store_apply_action (CachetStore                *self,
                           const CachetPendingAction  *action,
                           GBytes                     *payload,
                           GError                    **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(CachetFolderInfo) info = NULL;
  g_autoptr(GPtrArray) filenames = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *payload_file = NULL;
  CachetMaildir *maildir;
  gboolean applied = FALSE;
  gint64 folder_id;
  gint64 id;

  g_return_val_if_fail (CACHET_IS_STORE (self), 0);
  g_return_val_if_fail (action != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!check_pending_action (action, payload, error) || !check_folder_name (action->folder, error))
    return 0;

  locker = g_mutex_locker_new (&self->lock);

  info = get_folder_locked (self, action->folder, &folder_id, error);
  if (info == NULL)
    return 0;
  if (action->uids != NULL && action->uids->len > 0 && info->uidvalidity != action->uidvalidity)
    {
      g_set_error_literal (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_UIDVALIDITY,
                           _("The folder has another UIDVALIDITY"));
      return 0;
    }
  maildir = folder_maildir_locked (self, action->folder, error);
  if (maildir == NULL || !save_payload_locked (self, payload, &payload_file, error) ||
      !begin (self, error))
    return 0;

  switch (action->kind)
    {
    case CACHET_PENDING_ACTION_ADD_FLAGS:
    case CACHET_PENDING_ACTION_REMOVE_FLAGS:
      applied = apply_flags_locked (self, action, folder_id, error);
      break;
    case CACHET_PENDING_ACTION_MOVE:
    case CACHET_PENDING_ACTION_DELETE:
    case CACHET_PENDING_ACTION_DELETE_BY_MESSAGE_ID:
      applied = apply_removal_locked (self, action, folder_id, filenames, error);
      break;
    case CACHET_PENDING_ACTION_APPEND:
      applied = action->message_id == NULL ||
                apply_removal_locked (self, action, folder_id, filenames, error);
      break;
    default:
      g_assert_not_reached ();
    }

  id = applied ? insert_action_locked (self, action, payload_file, error) : 0;
  if (id == 0 || !commit (self, error))
    {
      rollback (self);
      /* Only garbage in pending/ now, but no need to leave it. */
      if (payload_file != NULL)
        cachet_maildir_remove (self->pending, payload_file, NULL);
      return 0;
    }

  /* The server still has these messages until the action is replayed: a
   * file left by a crash here is only re-indexed, then dropped again. */
  remove_files (maildir, filenames);
  return id;
}

/**
 * cachet_store_new_delete_action:
 * @self: a #CachetStore
 * @folder: the folder the messages are in
 * @uidvalidity: its UIDVALIDITY
 * @uids: (array length=n_uids): the messages
 * @n_uids: how many
 * @error: return location for a #GError
 *
 * What deleting messages means to the user: moving them to the trash, the
 * folder whose special use is `\Trash`; deleting them for good (flag
 * `\Deleted`, then expunge) when they are in the trash already, or when the
 * account has no trash. Blocking: call from a worker.
 *
 * Returns: (transfer full): a %CACHET_PENDING_ACTION_MOVE or
 *   %CACHET_PENDING_ACTION_DELETE for cachet_store_apply_action(), or %NULL
 *   when @folder is unknown.
 */
CachetPendingAction *
cachet_store_new_delete_action (CachetStore    *self,
                                const char     *folder,
                                guint32         uidvalidity,
                                const guint32  *uids,
                                guint           n_uids,
                                GError        **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(CachetFolderInfo) info = NULL;
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *trash = NULL;
  CachetPendingAction *action;

  g_return_val_if_fail (CACHET_IS_STORE (self), NULL);
  g_return_val_if_fail (folder != NULL, NULL);
  g_return_val_if_fail (uids != NULL || n_uids == 0, NULL);

  locker = g_mutex_locker_new (&self->lock);
  info = get_folder_locked (self, folder, NULL, error);
  if (info == NULL)
    return NULL;
  select = prepare (self,
                    "SELECT name FROM folders WHERE special_use = '\\Trash' ORDER BY id LIMIT 1",
                    error);
  if (select == NULL)
    return NULL;
  if (step_row (self, select, &local_error))
    trash = dup_column (select, 0);
  else if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (trash != NULL && strcmp (trash, folder) != 0)
    {
      action = cachet_pending_action_new (CACHET_PENDING_ACTION_MOVE, folder);
      action->target_folder = g_steal_pointer (&trash);
    }
  else
    {
      action = cachet_pending_action_new (CACHET_PENDING_ACTION_DELETE, folder);
    }
  action->uidvalidity = uidvalidity;
  g_array_append_vals (action->uids, uids, n_uids);
  return action;
}

static int
lookup_name (const char * const *names,
             gsize               n_names,
             const char         *name)
{
  for (gsize i = 0; name != NULL && i < n_names; i++)
    {
      if (strcmp (names[i], name) == 0)
        return (int) i;
    }
  return -1;
}

/**
 * cachet_store_list_pending_actions:
 * @self: a #CachetStore
 * @error: return location for a #GError
 *
 * Lists the actions not completed yet, failed ones included, in the order
 * they were queued. Blocking: call from a worker.
 *
 * Returns: (transfer full) (element-type CachetPendingAction): the actions.
 */
GPtrArray *
cachet_store_list_pending_actions (CachetStore  *self,
                                   GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) statement = NULL;
  g_autoptr(GPtrArray) actions = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (CACHET_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  statement = prepare (self,
                       "SELECT a.id, a.kind, a.state, f.name, a.uidvalidity, a.uids, a.flags, "
                       "       a.keywords, t.name, a.attempts, a.last_error, a.created, "
                       "       a.message_id "
                       "FROM pending_actions AS a JOIN folders AS f ON f.id = a.folder_id "
                       "  LEFT JOIN folders AS t ON t.id = a.target_folder_id "
                       "ORDER BY a.id", error);
  if (statement == NULL)
    return NULL;

  actions = g_ptr_array_new_with_free_func ((GDestroyNotify) cachet_pending_action_free);
  while (step_row (self, statement, &local_error))
    {
      int kind = lookup_name (pending_kinds, G_N_ELEMENTS (pending_kinds),
                              (const char *) sqlite3_column_text (statement, 1));
      int state = lookup_name (pending_states, G_N_ELEMENTS (pending_states),
                               (const char *) sqlite3_column_text (statement, 2));
      g_auto(GStrv) uids = g_strsplit ((const char *) sqlite3_column_text (statement, 5), ",", -1);
      const char *keywords = (const char *) sqlite3_column_text (statement, 7);
      CachetPendingAction *action;

      /* The CHECK constraints make this impossible short of a damaged file. */
      if (kind < 0 || state < 0)
        continue;

      action = cachet_pending_action_new ((CachetPendingActionKind) kind,
                                          (const char *) sqlite3_column_text (statement, 3));
      action->id = sqlite3_column_int64 (statement, 0);
      action->state = (CachetPendingActionState) state;
      action->uidvalidity = (guint32) sqlite3_column_int64 (statement, 4);
      for (guint i = 0; uids[i] != NULL; i++)
        {
          guint64 uid;

          if (g_ascii_string_to_unsigned (uids[i], 10, 1, G_MAXUINT32, &uid, NULL))
            {
              guint32 value = (guint32) uid;

              g_array_append_val (action->uids, value);
            }
        }
      action->flags = (CachetMessageFlags) sqlite3_column_int64 (statement, 6) &
                      CACHET_MESSAGE_FLAG_ALL;
      if (keywords != NULL && *keywords != '\0')
        action->keywords = g_strsplit (keywords, " ", -1);
      action->target_folder = dup_column (statement, 8);
      action->attempts = (guint) sqlite3_column_int64 (statement, 9);
      action->last_error = dup_column (statement, 10);
      action->created = sqlite3_column_int64 (statement, 11);
      action->message_id = dup_column (statement, 12);
      g_ptr_array_add (actions, action);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&actions);
}

/**
 * cachet_store_set_pending_action_state:
 * @self: a #CachetStore
 * @id: an action id
 * @state: its new state; %CACHET_PENDING_ACTION_IN_PROGRESS counts an attempt
 * @error_message: (nullable): why it failed, for %CACHET_PENDING_ACTION_FAILED
 *   or a retry; no message content, please
 * @error: return location for a #GError
 *
 * Blocking: call from a worker.
 *
 * Returns: %TRUE on success.
 */
gboolean
cachet_store_set_pending_action_state (CachetStore               *self,
                                       gint64                     id,
                                       CachetPendingActionState   state,
                                       const char                *error_message,
                                       GError                   **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;

  g_return_val_if_fail (CACHET_IS_STORE (self), FALSE);
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (pending_states), FALSE);

  locker = g_mutex_locker_new (&self->lock);
  update = prepare (self,
                    "UPDATE pending_actions SET state = ?2, "
                    "  attempts = attempts + (?2 = 'in-progress'), "
                    "  last_error = coalesce (?3, last_error) "
                    "WHERE id = ?1", error);
  if (update == NULL)
    return FALSE;
  sqlite3_bind_int64 (update, 1, id);
  bind_text (update, 2, pending_states[state]);
  bind_text (update, 3, error_message);
  if (!step_done (self, update, error))
    return FALSE;

  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error_literal (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_NOT_FOUND,
                           _("No such pending action"));
      return FALSE;
    }
  return TRUE;
}

static char *
get_payload_file_locked (CachetStore  *self,
                         gint64        id,
                         GError      **error)
{
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(GError) local_error = NULL;

  select = prepare (self,
                    "SELECT coalesce (payload, '') FROM pending_actions WHERE id = ?1",
                    error);
  if (select == NULL)
    return NULL;
  sqlite3_bind_int64 (select, 1, id);
  if (step_row (self, select, &local_error))
    return dup_column (select, 0);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    g_set_error_literal (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_NOT_FOUND,
                         _("No such pending action"));
  return NULL;
}

/**
 * cachet_store_complete_pending_action:
 * @self: a #CachetStore
 * @id: an action id
 * @error: return location for a #GError
 *
 * Removes an action the server has carried out, and its payload. Blocking:
 * call from a worker.
 *
 * Returns: %TRUE on success.
 */
gboolean
cachet_store_complete_pending_action (CachetStore  *self,
                                      gint64        id,
                                      GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) delete = NULL;
  g_autofree char *payload = NULL;
  g_autoptr(GError) remove_error = NULL;

  g_return_val_if_fail (CACHET_IS_STORE (self), FALSE);

  locker = g_mutex_locker_new (&self->lock);
  payload = get_payload_file_locked (self, id, error);
  if (payload == NULL)
    return FALSE;

  delete = prepare (self, "DELETE FROM pending_actions WHERE id = ?1", error);
  if (delete == NULL)
    return FALSE;
  sqlite3_bind_int64 (delete, 1, id);
  if (!step_done (self, delete, error))
    return FALSE;

  /* The server has the message now; should this fail, the file is only
   * garbage left in pending/. */
  if (*payload != '\0' && !cachet_maildir_remove (self->pending, payload, &remove_error))
    g_warning ("Cannot remove an appended message file: %s", remove_error->message);
  return TRUE;
}

/**
 * cachet_store_load_pending_payload:
 * @self: a #CachetStore
 * @id: the id of an append action
 * @error: return location for a #GError
 *
 * Blocking: call from a worker.
 *
 * Returns: (transfer full): the message to append, or %NULL.
 */
GBytes *
cachet_store_load_pending_payload (CachetStore  *self,
                                   gint64        id,
                                   GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *payload = NULL;

  g_return_val_if_fail (CACHET_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  payload = get_payload_file_locked (self, id, error);
  if (payload == NULL)
    return NULL;
  if (*payload == '\0')
    {
      g_set_error_literal (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_NOT_FOUND,
                           _("The action carries no message"));
      return NULL;
    }
  return cachet_maildir_read (self->pending, payload, NULL, error);
}

/* Reindex. */

static gboolean
reindex_folder_locked (CachetStore    *self,
                       CachetMaildir  *maildir,
                       gint64          folder_id,
                       GCancellable   *cancellable,
                       GError        **error)
{
  g_autoptr(GPtrArray) entries = cachet_maildir_list (maildir, cancellable, error);
  g_autoptr(GHashTable) seen_uids = g_hash_table_new (NULL, NULL);
  guint skipped = 0;

  if (entries == NULL)
    return FALSE;
  /* Should a crash have left two files for one UID, the choice is the same
   * on every run. Neither file is touched. */
  g_ptr_array_sort (entries, compare_entries);

  for (guint i = 0; i < entries->len; i++)
    {
      CachetMaildirEntry *entry = g_ptr_array_index (entries, i);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (entry->uid == 0 || g_hash_table_contains (seen_uids, GUINT_TO_POINTER (entry->uid)))
        {
          skipped++;
          continue;
        }
      g_hash_table_add (seen_uids, GUINT_TO_POINTER (entry->uid));
      if (!index_entry_locked (self, maildir, folder_id, entry, cancellable, error))
        return FALSE;
    }

  if (skipped > 0)
    g_message ("Reindex left %u message files without a UID of their own aside", skipped);
  return TRUE;
}

static gboolean
reindex_locked (CachetStore   *self,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GArray) kept_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) keep = g_string_new (NULL);
  const char *dirname;

  if (!g_file_test (self->folders_dir, G_FILE_TEST_IS_DIR))
    {
      if (g_mkdir_with_parents (self->folders_dir, 0700) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Cannot create the folders directory: %s"), g_strerror (saved_errno));
          return FALSE;
        }
    }
  dir = g_dir_open (self->folders_dir, 0, error);
  if (dir == NULL)
    {
      _cachet_store_hide_path (error, _("Cannot list the folders"));
      return FALSE;
    }

  /* Folder rows are updated in place, not recreated: their ids, and the
   * pending actions that refer to them, stay. */
  if (!exec (self,
             "DELETE FROM messages_fts;"
             "DELETE FROM messages;"
             "DELETE FROM correspondents_fts;"
             "DELETE FROM correspondents;"
             "UPDATE folders SET total_count = 0, unread_count = 0;", error))
    return FALSE;

  while ((dirname = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (self->folders_dir, dirname, NULL);
      g_autoptr(CachetFolderInfo) info = NULL;
      g_autoptr(CachetFolderInfo) row = NULL;
      g_autoptr(CachetMaildir) maildir = NULL;
      gint64 folder_id;

      if (dirname[0] == '.' || !g_file_test (path, G_FILE_TEST_IS_DIR))
        continue;
      info = read_folder_state (path, dirname);
      if (info == NULL)
        {
          g_message ("Reindex skipped a folder directory it cannot name");
          continue;
        }

      maildir = cachet_maildir_new (path);
      if (!cachet_maildir_ensure (maildir, error) || !save_folder_row_locked (self, info, error))
        return FALSE;
      row = get_folder_locked (self, info->name, &folder_id, error);
      if (row == NULL)
        return FALSE;
      g_array_append_val (kept_ids, folder_id);
      g_hash_table_replace (self->maildirs, g_strdup (info->name), g_object_ref (maildir));

      if (!reindex_folder_locked (self, maildir, folder_id, cancellable, error))
        return FALSE;
    }

  /* A folder without a Maildir has no message to show. */
  for (guint i = 0; i < kept_ids->len; i++)
    g_string_append_printf (keep, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
                            g_array_index (kept_ids, gint64, i));
  {
    g_autofree char *sql = g_strdup_printf ("DELETE FROM folders WHERE id NOT IN (%s)", keep->str);

    return exec (self, sql, error) && flush_correspondents_locked (self, error);
  }
}

/**
 * cachet_store_reindex:
 * @self: a #CachetStore
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Rebuilds the whole index from the Maildirs, in one transaction: folders
 * from their state files, messages from their files (UID, MODSEQ, flags and
 * keywords from the names, INTERNALDATE from the mtimes, the rest by parsing
 * them). Pending actions are kept. If it fails or is cancelled, the index is
 * left as it was. The store is locked meanwhile. Blocking and long: call
 * from a worker, or use cachet_store_reindex_async().
 *
 * Returns: %TRUE on success.
 */
gboolean
cachet_store_reindex (CachetStore   *self,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (CACHET_IS_STORE (self), FALSE);

  locker = g_mutex_locker_new (&self->lock);
  if (!begin (self, error))
    return FALSE;
  if (!reindex_locked (self, cancellable, error))
    {
      rollback (self);
      return FALSE;
    }
  return commit (self, error);
}

/* Opening. */

/* @migrated: whether any migration ran. */
static gboolean
migrate (CachetStore  *self,
         gboolean     *migrated,
         GError      **error)
{
  GResource *resource = cachet_store_get_resource ();
  g_auto(GStrv) names = NULL;
  g_autoptr(sqlite3_stmt) get_version = NULL;
  guint n_names;
  guint version;

  names = g_resource_enumerate_children (resource, MIGRATIONS_PATH,
                                         G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (names == NULL)
    return FALSE;
  n_names = g_strv_length (names);
  qsort (names, n_names, sizeof (char *), compare_strings);

  get_version = prepare (self, "PRAGMA user_version", error);
  if (get_version == NULL)
    return FALSE;
  if (!step_row (self, get_version, error))
    return FALSE;
  version = (guint) sqlite3_column_int (get_version, 0);
  /* A statement left running would keep the migrations from committing. */
  sqlite3_reset (get_version);

  if (version > n_names)
    {
      g_set_error (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_TOO_NEW,
                   _("The mail index comes from a newer version of Cachet "
                     "(index version %u, this one knows up to %u)"), version, n_names);
      return FALSE;
    }

  *migrated = version < n_names;
  for (guint i = version; i < n_names; i++)
    {
      g_autofree char *expected = g_strdup_printf ("%04u-", i + 1);
      g_autofree char *path = g_build_path ("/", MIGRATIONS_PATH, names[i], NULL);
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %u", i + 1);
      g_autoptr(GBytes) sql = NULL;

      /* Numbered 0001, 0002...: a gap is a packaging mistake. */
      if (!g_str_has_prefix (names[i], expected))
        {
          g_set_error (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_FAILED,
                       _("Migration %u is missing"), i + 1);
          return FALSE;
        }

      /* GResource data is always followed by a NUL. */
      sql = g_resource_lookup_data (resource, path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
      if (sql == NULL || !begin (self, error))
        return FALSE;
      if (!exec (self, g_bytes_get_data (sql, NULL), error) || !exec (self, set_version, error))
        {
          rollback (self);
          return FALSE;
        }
      if (!commit (self, error))
        return FALSE;
      g_debug ("Index migrated to version %u", i + 1);
    }

  return TRUE;
}

static gboolean
open_database (CachetStore  *self,
               GError      **error)
{
  g_autofree char *path = g_build_filename (self->account_dir, "index.sqlite", NULL);
  g_autoptr(sqlite3_stmt) journal = NULL;
  gboolean migrated = FALSE;
  int rc;

  /* No SQLite mutex: our own lock serialises every use of the connection. */
  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
                        SQLITE_OPEN_PRIVATECACHE, NULL);
  if (rc != SQLITE_OK)
    return set_sqlite_error (error, self->db, rc, _("Cannot open the index"));

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  journal = prepare (self, "PRAGMA journal_mode = WAL", error);
  if (journal == NULL || !step_row (self, journal, error))
    return FALSE;
  if (g_ascii_strcasecmp ((const char *) sqlite3_column_text (journal, 0), "wal") != 0)
    {
      g_set_error_literal (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_FAILED,
                           _("The index cannot use write-ahead logging"));
      return FALSE;
    }
  sqlite3_reset (journal);

  /* FULL: a committed pending action survives a power cut. The Maildirs
   * are synced on their own, so this costs one more fsync per commit. */
  if (!exec (self,
             "PRAGMA synchronous = FULL;"
             "PRAGMA foreign_keys = ON;"
             "PRAGMA trusted_schema = OFF;"
             CREATE_PENDING_TABLE ";", error) ||
      !migrate (self, &migrated, error))
    return FALSE;
  /* What a migration recorded: the pending table is temporary, so there is
   * nothing else to count at opening. */
  if (!migrated)
    return TRUE;
  if (!begin (self, error))
    return FALSE;
  if (!flush_correspondents_locked (self, error))
    {
      rollback (self);
      return FALSE;
    }
  return commit (self, error);
}

static gboolean
make_private_directory (const char  *path,
                        GError     **error)
{
  if (g_mkdir_with_parents (path, 0700) == 0)
    return TRUE;

  {
    int saved_errno = errno;

    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                 _("Cannot create the store directory: %s"), g_strerror (saved_errno));
  }
  return FALSE;
}

static gboolean
cachet_store_initable_init (GInitable     *initable,
                            GCancellable  *cancellable,
                            GError       **error)
{
  CachetStore *self = CACHET_STORE (initable);
  g_autofree char *lock_path = NULL;
  g_autofree char *pending_path = NULL;

  if (!check_account_id (self->account_id, error))
    return FALSE;
  if (self->base_dir == NULL)
    self->base_dir = g_strdup (cachet_paths_get_data_dir ());

  self->account_dir = g_build_filename (self->base_dir, "accounts", self->account_id, NULL);
  self->folders_dir = g_build_filename (self->account_dir, "folders", NULL);
  self->lost_found_dir = g_build_filename (self->account_dir, "lost+found", NULL);
  pending_path = g_build_filename (self->account_dir, "pending", NULL);
  self->pending = cachet_maildir_new (pending_path);

  if (!make_private_directory (self->account_dir, error) ||
      !make_private_directory (self->folders_dir, error) ||
      !cachet_maildir_ensure (self->pending, error))
    return FALSE;

  /* Two processes on one index would each trust their own view of the
   * Maildirs; the second one is turned away. */
  lock_path = g_build_filename (self->account_dir, "lock", NULL);
  self->lock_fd = open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (self->lock_fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot open the store lock: %s"), g_strerror (saved_errno));
      return FALSE;
    }
  if (flock (self->lock_fd, LOCK_EX | LOCK_NB) != 0)
    {
      g_set_error_literal (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_BUSY,
                           _("Another Cachet has this account open"));
      return FALSE;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  return open_database (self, error);
}

static void
cachet_store_initable_iface_init (GInitableIface *iface)
{
  iface->init = cachet_store_initable_init;
}

static void
cachet_store_finalize (GObject *object)
{
  CachetStore *self = (CachetStore *) object;

  for (guint i = 0; i < N_STATEMENTS; i++)
    g_clear_pointer (&self->statements[i], sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close_v2);
  g_clear_pointer (&self->maildirs, g_hash_table_unref);
  g_clear_pointer (&self->adopted_folders, g_hash_table_unref);
  g_clear_object (&self->pending);
  if (self->lock_fd >= 0)
    close (self->lock_fd);
  g_clear_pointer (&self->base_dir, g_free);
  g_clear_pointer (&self->account_id, g_free);
  g_clear_pointer (&self->account_dir, g_free);
  g_clear_pointer (&self->folders_dir, g_free);
  g_clear_pointer (&self->lost_found_dir, g_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (cachet_store_parent_class)->finalize (object);
}

static void
cachet_store_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CachetStore *self = CACHET_STORE (object);

  switch (prop_id)
    {
    case PROP_BASE_DIR:
      g_value_set_string (value, self->base_dir);
      break;
    case PROP_ACCOUNT_ID:
      g_value_set_string (value, self->account_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cachet_store_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CachetStore *self = CACHET_STORE (object);

  switch (prop_id)
    {
    case PROP_BASE_DIR:
      self->base_dir = g_value_dup_string (value);
      break;
    case PROP_ACCOUNT_ID:
      self->account_id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cachet_store_class_init (CachetStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cachet_store_finalize;
  object_class->get_property = cachet_store_get_property;
  object_class->set_property = cachet_store_set_property;

  /**
   * CachetStore:base-dir:
   *
   * The directory under which accounts/ lives; %NULL for Cachet's data
   * directory.
   */
  properties[PROP_BASE_DIR] =
    g_param_spec_string ("base-dir", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CachetStore:account-id:
   *
   * The id of the account whose mail this is.
   */
  properties[PROP_ACCOUNT_ID] =
    g_param_spec_string ("account-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cachet_store_init (CachetStore *self)
{
  g_mutex_init (&self->lock);
  self->lock_fd = -1;
  self->maildirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->adopted_folders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * cachet_store_new:
 * @base_dir: (nullable): where accounts/ lives; %NULL for
 *   cachet_paths_get_data_dir()
 * @account_id: the account's id
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Opens (creating it if needed) the store of an account, and brings its
 * index to the current schema. Only one store may have an account open at a
 * time, across processes. Blocking: call from a worker, or use
 * cachet_store_new_async().
 *
 * Returns: (transfer full): the store, or %NULL.
 */
CachetStore *
cachet_store_new (const char    *base_dir,
                  const char    *account_id,
                  GCancellable  *cancellable,
                  GError       **error)
{
  return g_initable_new (CACHET_TYPE_STORE, cancellable, error,
                         "base-dir", base_dir,
                         "account-id", account_id,
                         NULL);
}

/**
 * cachet_store_new_async:
 * @base_dir: (nullable): as for cachet_store_new()
 * @account_id: the account's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the store is open
 * @user_data: data for @callback
 *
 * Opens a store in a worker thread; see cachet_store_new().
 */
void
cachet_store_new_async (const char          *base_dir,
                        const char          *account_id,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_async_initable_new_async (CACHET_TYPE_STORE, G_PRIORITY_DEFAULT,
                              cancellable, callback, user_data,
                              "base-dir", base_dir,
                              "account-id", account_id,
                              NULL);
}

/**
 * cachet_store_new_finish:
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the store, or %NULL.
 */
CachetStore *
cachet_store_new_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_autoptr(GObject) source = g_async_result_get_source_object (result);
  GObject *object = g_async_initable_new_finish (G_ASYNC_INITABLE (source), result, error);

  return object != NULL ? CACHET_STORE (object) : NULL;
}

/**
 * cachet_store_get_account_id:
 * @self: a #CachetStore
 *
 * Returns: (transfer none): the account's id.
 */
const char *
cachet_store_get_account_id (CachetStore *self)
{
  g_return_val_if_fail (CACHET_IS_STORE (self), NULL);

  return self->account_id;
}

/**
 * cachet_store_get_account_dir:
 * @self: a #CachetStore
 *
 * Returns: (transfer none): the directory holding the account's index and
 *   Maildirs.
 */
const char *
cachet_store_get_account_dir (CachetStore *self)
{
  g_return_val_if_fail (CACHET_IS_STORE (self), NULL);

  return self->account_dir;
}

/* Asynchronous variants: each runs its synchronous twin in GTask's thread
 * pool, with a copy of its arguments. */

typedef struct
{
  char                *folder;
  char                *query;
  guint32              uidvalidity;
  guint32              uid;
  guint                offset;
  guint                limit;
  GBytes              *raw;
  CachetMessageFlags   flags;
  char               **keywords;
  gint64               internal_date;
  guint64              modseq;
  CachetPendingAction *action;
  char               **exclude;
} Call;

static void
call_free (Call *call)
{
  g_free (call->folder);
  g_free (call->query);
  g_clear_pointer (&call->raw, g_bytes_unref);
  g_strfreev (call->keywords);
  g_clear_pointer (&call->action, cachet_pending_action_free);
  g_strfreev (call->exclude);
  g_free (call);
}

static GTask *
call_task_new (CachetStore         *self,
               gpointer             source_tag,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data,
               Call               **call)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  *call = g_new0 (Call, 1);
  g_task_set_task_data (task, *call, (GDestroyNotify) call_free);

  return task;
}

static void
add_message_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  Call *call = task_data;
  GError *error = NULL;
  CachetMessageInfo *info;

  info = cachet_store_add_message (source_object, call->folder, call->uidvalidity, call->uid,
                                   call->raw, call->flags, (const char * const *) call->keywords,
                                   call->internal_date, call->modseq, cancellable, &error);
  if (info == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, info, g_object_unref);
}

/**
 * cachet_store_add_message_async:
 * @self: a #CachetStore
 * @folder: as for cachet_store_add_message()
 * @uidvalidity: likewise
 * @uid: likewise
 * @raw: likewise
 * @flags: likewise
 * @keywords: (nullable) (array zero-terminated=1): likewise
 * @internal_date: likewise
 * @modseq: likewise
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the message is stored
 * @user_data: data for @callback
 *
 * Runs cachet_store_add_message() in a worker thread.
 */
void
cachet_store_add_message_async (CachetStore         *self,
                                const char          *folder,
                                guint32              uidvalidity,
                                guint32              uid,
                                GBytes              *raw,
                                CachetMessageFlags   flags,
                                const char * const  *keywords,
                                gint64               internal_date,
                                guint64              modseq,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Call *call;

  g_return_if_fail (CACHET_IS_STORE (self));
  g_return_if_fail (folder != NULL);
  g_return_if_fail (raw != NULL);

  task = call_task_new (self, cachet_store_add_message_async,
                        cancellable, callback, user_data, &call);
  call->folder = g_strdup (folder);
  call->uidvalidity = uidvalidity;
  call->uid = uid;
  call->raw = g_bytes_ref (raw);
  call->flags = flags;
  call->keywords = g_strdupv ((char **) keywords);
  call->internal_date = internal_date;
  call->modseq = modseq;
  g_task_run_in_thread (task, add_message_thread);
}

/**
 * cachet_store_add_message_finish:
 * @self: a #CachetStore
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the message's row, or %NULL.
 */
CachetMessageInfo *
cachet_store_add_message_finish (CachetStore   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cachet_store_add_message_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
load_message_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  Call *call = task_data;
  GError *error = NULL;
  GBytes *bytes = cachet_store_load_message (source_object, call->folder, call->uid,
                                             cancellable, &error);

  if (bytes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

/**
 * cachet_store_load_message_async:
 * @self: a #CachetStore
 * @folder: a folder name
 * @uid: a UID
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the message is read
 * @user_data: data for @callback
 *
 * Runs cachet_store_load_message() in a worker thread.
 */
void
cachet_store_load_message_async (CachetStore         *self,
                                 const char          *folder,
                                 guint32              uid,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Call *call;

  g_return_if_fail (CACHET_IS_STORE (self));
  g_return_if_fail (folder != NULL);

  task = call_task_new (self, cachet_store_load_message_async,
                        cancellable, callback, user_data, &call);
  call->folder = g_strdup (folder);
  call->uid = uid;
  g_task_run_in_thread (task, load_message_thread);
}

/**
 * cachet_store_load_message_finish:
 * @self: a #CachetStore
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the raw message, or %NULL.
 */
GBytes *
cachet_store_load_message_finish (CachetStore   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cachet_store_load_message_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
count_messages_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  Call *call = task_data;
  GError *error = NULL;
  gint64 count = cachet_store_count_messages (source_object, call->folder, &error);

  if (count < 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, (gssize) count);
}

/**
 * cachet_store_count_messages_async:
 * @self: a #CachetStore
 * @folder: a folder name
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the count
 * @user_data: data for @callback
 *
 * Runs cachet_store_count_messages() in a worker thread.
 */
void
cachet_store_count_messages_async (CachetStore         *self,
                                   const char          *folder,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Call *call;

  g_return_if_fail (CACHET_IS_STORE (self));
  g_return_if_fail (folder != NULL);

  task = call_task_new (self, cachet_store_count_messages_async,
                        cancellable, callback, user_data, &call);
  call->folder = g_strdup (folder);
  g_task_run_in_thread (task, count_messages_thread);
}

/**
 * cachet_store_count_messages_finish:
 * @self: a #CachetStore
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: the count, or -1 on error.
 */
gint64
cachet_store_count_messages_finish (CachetStore   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cachet_store_count_messages_async, -1);

  return g_task_propagate_int (G_TASK (result), error);
}

static void
list_messages_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  Call *call = task_data;
  GError *error = NULL;
  GPtrArray *messages;

  if (call->query != NULL)
    messages = cachet_store_search (source_object, call->folder, call->query,
                                    call->offset, call->limit, &error);
  else
    messages = cachet_store_list_messages (source_object, call->folder,
                                           call->offset, call->limit, &error);

  if (messages == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, messages, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * cachet_store_list_messages_async:
 * @self: a #CachetStore
 * @folder: a folder name
 * @offset: how many messages to skip
 * @limit: how many messages to return at most
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the page
 * @user_data: data for @callback
 *
 * Runs cachet_store_list_messages() in a worker thread.
 */
void
cachet_store_list_messages_async (CachetStore         *self,
                                  const char          *folder,
                                  guint                offset,
                                  guint                limit,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Call *call;

  g_return_if_fail (CACHET_IS_STORE (self));
  g_return_if_fail (folder != NULL);

  task = call_task_new (self, cachet_store_list_messages_async,
                        cancellable, callback, user_data, &call);
  call->folder = g_strdup (folder);
  call->offset = offset;
  call->limit = limit;
  g_task_run_in_thread (task, list_messages_thread);
}

/**
 * cachet_store_list_messages_finish:
 * @self: a #CachetStore
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type CachetMessageInfo): the page, or
 *   %NULL.
 */
GPtrArray *
cachet_store_list_messages_finish (CachetStore   *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cachet_store_list_messages_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cachet_store_search_async:
 * @self: a #CachetStore
 * @folder: (nullable): a folder name, or %NULL for all folders
 * @query: what the user typed
 * @offset: how many results to skip
 * @limit: how many results to return at most
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the results
 * @user_data: data for @callback
 *
 * Runs cachet_store_search() in a worker thread.
 */
void
cachet_store_search_async (CachetStore         *self,
                           const char          *folder,
                           const char          *query,
                           guint                offset,
                           guint                limit,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Call *call;

  g_return_if_fail (CACHET_IS_STORE (self));
  g_return_if_fail (query != NULL);

  task = call_task_new (self, cachet_store_search_async, cancellable, callback, user_data, &call);
  call->folder = g_strdup (folder);
  call->query = g_strdup (query);
  call->offset = offset;
  call->limit = limit;
  g_task_run_in_thread (task, list_messages_thread);
}

/**
 * cachet_store_search_finish:
 * @self: a #CachetStore
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type CachetMessageInfo): the results,
 *   or %NULL.
 */
GPtrArray *
cachet_store_search_finish (CachetStore   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cachet_store_search_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
search_correspondents_thread (GTask        *task,
                              gpointer      source_object,
                              gpointer      task_data,
                              GCancellable *cancellable)
{
  Call *call = task_data;
  GError *error = NULL;
  GPtrArray *correspondents;

  if (g_task_return_error_if_cancelled (task))
    return;
  correspondents = cachet_store_search_correspondents (source_object, call->query,
                                                       (const char * const *) call->exclude,
                                                       call->limit, &error);
  if (correspondents == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, correspondents, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * cachet_store_search_correspondents_async:
 * @self: a #CachetStore
 * @query: what the user typed
 * @exclude: (nullable) (array zero-terminated=1): addresses never to return
 * @limit: how many correspondents to return at most
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the correspondents
 * @user_data: data for @callback
 *
 * Runs cachet_store_search_correspondents() in a worker thread.
 */
void
cachet_store_search_correspondents_async (CachetStore         *self,
                                          const char          *query,
                                          const char * const  *exclude,
                                          guint                limit,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Call *call;

  g_return_if_fail (CACHET_IS_STORE (self));
  g_return_if_fail (query != NULL);

  task = call_task_new (self, cachet_store_search_correspondents_async, cancellable, callback,
                        user_data, &call);
  call->query = g_strdup (query);
  call->exclude = g_strdupv ((char **) exclude);
  call->limit = limit;
  g_task_run_in_thread (task, search_correspondents_thread);
}

/**
 * cachet_store_search_correspondents_finish:
 * @self: a #CachetStore
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type CachetCorrespondent): the
 *   correspondents, best first, or %NULL (%G_IO_ERROR_CANCELLED when
 *   cancelled before it ran).
 */
GPtrArray *
cachet_store_search_correspondents_finish (CachetStore   *self,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cachet_store_search_correspondents_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Queues, or applies and queues, as the task's source tag says. */
static void
action_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Call *call = task_data;
  GError *error = NULL;
  gint64 id;

  if (g_task_get_source_tag (task) == cachet_store_apply_action_async)
    id = cachet_store_apply_action (source_object, call->action, call->raw, &error);
  else
    id = cachet_store_queue_action (source_object, call->action, call->raw, &error);

  if (id == 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, (gssize) id);
}

/**
 * cachet_store_queue_action_async:
 * @self: a #CachetStore
 * @action: the action (copied)
 * @payload: (nullable): for an append, the message
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the action is queued
 * @user_data: data for @callback
 *
 * Runs cachet_store_queue_action() in a worker thread.
 */
void
cachet_store_queue_action_async (CachetStore                *self,
                                 const CachetPendingAction  *action,
                                 GBytes                     *payload,
                                 GCancellable               *cancellable,
                                 GAsyncReadyCallback         callback,
                                 gpointer                    user_data)
{
  g_autoptr(GTask) task = NULL;
  Call *call;

  g_return_if_fail (CACHET_IS_STORE (self));
  g_return_if_fail (action != NULL);

  task = call_task_new (self, cachet_store_queue_action_async,
                        cancellable, callback, user_data, &call);
  call->action = pending_action_copy (action);
  call->raw = payload != NULL ? g_bytes_ref (payload) : NULL;
  g_task_run_in_thread (task, action_thread);
}

/**
 * cachet_store_queue_action_finish:
 * @self: a #CachetStore
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: the action's id, or 0 on error.
 */
gint64
cachet_store_queue_action_finish (CachetStore   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  gssize id;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cachet_store_queue_action_async, 0);

  id = g_task_propagate_int (G_TASK (result), error);
  return id > 0 ? id : 0;
}

/**
 * cachet_store_apply_action_async:
 * @self: a #CachetStore
 * @action: the action (copied)
 * @payload: (nullable): for an append, the message
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the action is applied and queued
 * @user_data: data for @callback
 *
 * Runs cachet_store_apply_action() in a worker thread.
 */
void
cachet_store_apply_action_async (CachetStore                *self,
                                 const CachetPendingAction  *action,
                                 GBytes                     *payload,
                                 GCancellable               *cancellable,
                                 GAsyncReadyCallback         callback,
                                 gpointer                    user_data)
{
  g_autoptr(GTask) task = NULL;
  Call *call;

  g_return_if_fail (CACHET_IS_STORE (self));
  g_return_if_fail (action != NULL);

  task = call_task_new (self, cachet_store_apply_action_async,
                        cancellable, callback, user_data, &call);
  call->action = pending_action_copy (action);
  call->raw = payload != NULL ? g_bytes_ref (payload) : NULL;
  g_task_run_in_thread (task, action_thread);
}

/**
 * cachet_store_apply_action_finish:
 * @self: a #CachetStore
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: the action's id, or 0 on error.
 */
gint64
cachet_store_apply_action_finish (CachetStore   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  gssize id;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cachet_store_apply_action_async, 0);

  id = g_task_propagate_int (G_TASK (result), error);
  return id > 0 ? id : 0;
}

static void
reindex_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;

  if (cachet_store_reindex (source_object, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * cachet_store_reindex_async:
 * @self: a #CachetStore
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the index is rebuilt
 * @user_data: data for @callback
 *
 * Runs cachet_store_reindex() in a worker thread.
 */
void
cachet_store_reindex_async (CachetStore         *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Call *call;

  g_return_if_fail (CACHET_IS_STORE (self));

  task = call_task_new (self, cachet_store_reindex_async, cancellable, callback, user_data, &call);
  g_task_run_in_thread (task, reindex_thread);
}

/**
 * cachet_store_reindex_finish:
 * @self: a #CachetStore
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the index was rebuilt.
 */
gboolean
cachet_store_reindex_finish (CachetStore   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        cachet_store_reindex_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
