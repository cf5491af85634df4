/* cachet-directory.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cachet-directory-import-private.h"
#include "cachet-directory-parser.h"
#include "cachet-directory-update-private.h"
#include "cachet-directory.h"
#include "cachet-paths.h"
#include "cachet-sqlite-private.h"

/* The offline copy of the public Annuaire Santé MSSanté extract:
 *
 *   <data dir>/directory/directory.sqlite
 *
 * It is derived data, replaced whole by each import (see
 * cachet-directory-import.c), never changed in place. Readers open it read
 * only and reopen it when another import, of this process or another, has
 * put a new file in its place.
 *
 * Threading: every method may be called from any thread; one mutex serialises
 * the use of the read connection. Imports build their own file and do not
 * hold the mutex while they do. */

#define MAX_QUERY_BYTES  256
#define MAX_QUERY_TERMS  16
#define DEFAULT_LIMIT    50
#define MAX_LIMIT        1000
/* How many SQLite steps between two looks at the cancellable. */
#define CANCEL_CHECK_OPS 1000

struct _CachetDirectory
{
  GObject  parent_instance;

  char    *path;      /* immutable */

  GMutex   lock;
  sqlite3 *db;        /* under lock */
  dev_t    db_device; /* of the file db has open, under lock */
  ino_t    db_inode;
};

G_DEFINE_FINAL_TYPE (CachetDirectory, cachet_directory, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
close_reader (CachetDirectory *self)
{
  g_clear_pointer (&self->db, sqlite3_close);
}

static void
cachet_directory_finalize (GObject *object)
{
  CachetDirectory *self = CACHET_DIRECTORY (object);

  close_reader (self);
  g_mutex_clear (&self->lock);
  g_free (self->path);

  G_OBJECT_CLASS (cachet_directory_parent_class)->finalize (object);
}

static void
cachet_directory_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CachetDirectory *self = CACHET_DIRECTORY (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cachet_directory_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CachetDirectory *self = CACHET_DIRECTORY (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      if (self->path == NULL)
        self->path = g_build_filename (cachet_paths_get_data_dir (), "directory",
                                       "directory.sqlite", NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cachet_directory_class_init (CachetDirectoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cachet_directory_finalize;
  object_class->get_property = cachet_directory_get_property;
  object_class->set_property = cachet_directory_set_property;

  /**
   * CachetDirectory:path:
   *
   * The database file; %NULL at construction for the default one under the
   * XDG data directory.
   */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cachet_directory_init (CachetDirectory *self)
{
  g_mutex_init (&self->lock);
}

/**
 * cachet_directory_new:
 * @path: (nullable): the database file, or %NULL for the default one
 *
 * Nothing is read until the first search.
 *
 * Returns: (transfer full): a new #CachetDirectory
 */
CachetDirectory *
cachet_directory_new (const char *path)
{
  return g_object_new (CACHET_TYPE_DIRECTORY, "path", path, NULL);
}

const char *
cachet_directory_get_path (CachetDirectory *self)
{
  g_return_val_if_fail (CACHET_IS_DIRECTORY (self), NULL);
  return self->path;
}

static gboolean
set_read_error (GError  **error,
                sqlite3  *db)
{
  int primary = sqlite3_errcode (db) & 0xff;

  if (primary == SQLITE_INTERRUPT)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The search was cancelled"));
  else if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
    g_set_error_literal (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_NOT_IMPORTED,
                         _("The directory is damaged: import the Annuaire Santé extract again."));
  else
    g_set_error (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_FAILED,
                 _("Cannot read the directory: %s"), sqlite3_errmsg (db));
  return FALSE;
}

static char *
read_meta (sqlite3     *db,
           const char  *key,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) statement = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, "SELECT value FROM meta WHERE key = ?1", -1, &statement, NULL) != SQLITE_OK)
    {
      set_read_error (error, db);
      return NULL;
    }
  sqlite3_bind_text (statement, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step (statement);
  if (rc == SQLITE_ROW)
    return g_strdup ((const char *) sqlite3_column_text (statement, 0));
  if (rc != SQLITE_DONE)
    set_read_error (error, db);
  return NULL;
}

/* Opens the current file, again if an import has replaced it. Under lock. */
static gboolean
ensure_reader (CachetDirectory  *self,
               GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *format = NULL;
  GStatBuf info;

  if (g_stat (self->path, &info) != 0)
    {
      int saved_errno = errno;

      close_reader (self);
      if (saved_errno == ENOENT)
        g_set_error_literal (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_NOT_IMPORTED,
                             _("No directory has been imported yet: import the Annuaire Santé extract first."));
      else
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                     _("Cannot read the directory: %s"), g_strerror (saved_errno));
      return FALSE;
    }
  if (self->db != NULL && self->db_device == info.st_dev && self->db_inode == info.st_ino)
    return TRUE;

  close_reader (self);
  if (sqlite3_open_v2 (self->path, &self->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      set_read_error (error, self->db);
      close_reader (self);
      return FALSE;
    }
  format = read_meta (self->db, "format", &local_error);
  if (g_strcmp0 (format, CACHET_DIRECTORY_FORMAT) != 0)
    {
      close_reader (self);
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error_literal (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_NOT_IMPORTED,
                             _("The directory was made by another version of Cachet: import the Annuaire Santé extract again."));
      return FALSE;
    }
  self->db_device = info.st_dev;
  self->db_inode = info.st_ino;
  return TRUE;
}

/**
 * cachet_directory_import:
 * @self: a #CachetDirectory
 * @file: the Extraction_Correspondance_MSSante extract, zip or text
 * @progress: (nullable) (scope call): called in this thread as it goes
 * @progress_data: data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Replaces the directory with the content of @file. Malformed lines are
 * counted and left out; a file that is no extract, or is truncated, fails
 * and leaves the directory as it was. Blocks for seconds: call it from a
 * worker thread, or use cachet_directory_import_async().
 *
 * Returns: (transfer full) (nullable): what was imported, or %NULL on error
 */
CachetDirectoryImportReport *
cachet_directory_import (CachetDirectory              *self,
                         GFile                        *file,
                         CachetDirectoryProgressFunc   progress,
                         gpointer                      progress_data,
                         GCancellable                 *cancellable,
                         GError                      **error)
{
  CachetDirectoryImportReport *report;

  g_return_val_if_fail (CACHET_IS_DIRECTORY (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  report = cachet_directory_import_build (self->path, file, progress, progress_data,
                                          cancellable, error);
  if (report != NULL)
    {
      G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

      /* Let go of the replaced file now rather than at the next search. */
      close_reader (self);
    }
  return report;
}

/* An import or an update, run in a worker thread. */
typedef struct
{
  GFile                       *file;
  char                        *url;
  CachetDirectoryProgressFunc  progress;
  gpointer                     progress_data;
} Call;

static void
call_free (Call *call)
{
  g_clear_object (&call->file);
  g_free (call->url);
  g_free (call);
}

static GTask *
call_task_new (CachetDirectory             *self,
               gpointer                     source_tag,
               CachetDirectoryProgressFunc  progress,
               gpointer                     progress_data,
               GCancellable                *cancellable,
               GAsyncReadyCallback          callback,
               gpointer                     user_data,
               Call                       **call)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  *call = g_new0 (Call, 1);
  (*call)->progress = progress;
  (*call)->progress_data = progress_data;
  g_task_set_task_data (task, *call, (GDestroyNotify) call_free);
  return task;
}

typedef struct
{
  GTask  *task;
  double  fraction;
} ProgressUpdate;

static void
progress_update_free (ProgressUpdate *update)
{
  g_object_unref (update->task);
  g_free (update);
}

static gboolean
deliver_progress (gpointer data)
{
  ProgressUpdate *update = data;
  Call *call = g_task_get_task_data (update->task);

  /* After the callback, progress_data may be gone. */
  if (!g_task_get_completed (update->task))
    call->progress (update->fraction, call->progress_data);
  return G_SOURCE_REMOVE;
}

/* Runs in the worker: the caller hears of progress on its own context. */
static void
post_progress (double   fraction,
               gpointer data)
{
  GTask *task = data;
  g_autoptr(GSource) source = g_idle_source_new ();
  ProgressUpdate *update = g_new0 (ProgressUpdate, 1);

  update->task = g_object_ref (task);
  update->fraction = fraction;
  g_source_set_priority (source, g_task_get_priority (task));
  g_source_set_callback (source, deliver_progress, update, (GDestroyNotify) progress_update_free);
  g_source_attach (source, g_task_get_context (task));
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Call *call = task_data;
  g_autoptr(GError) error = NULL;
  CachetDirectoryImportReport *report;

  report = cachet_directory_import (source_object, call->file,
                                    call->progress != NULL ? post_progress : NULL, task,
                                    cancellable, &error);
  if (report == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, report, (GDestroyNotify) cachet_directory_import_report_free);
}

/**
 * cachet_directory_import_async:
 * @self: a #CachetDirectory
 * @file: the extract, zip or text
 * @progress: (nullable): called on the thread-default main context of the
 *   caller as the file is read, never after @callback
 * @progress_data: data for @progress; it must live until @callback
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the import is over
 * @user_data: data for @callback
 *
 * Runs cachet_directory_import() in a worker thread.
 */
void
cachet_directory_import_async (CachetDirectory             *self,
                               GFile                       *file,
                               CachetDirectoryProgressFunc  progress,
                               gpointer                     progress_data,
                               GCancellable                *cancellable,
                               GAsyncReadyCallback          callback,
                               gpointer                     user_data)
{
  g_autoptr(GTask) task = NULL;
  Call *call;

  g_return_if_fail (CACHET_IS_DIRECTORY (self));
  g_return_if_fail (G_IS_FILE (file));

  task = call_task_new (self, cachet_directory_import_async, progress, progress_data,
                        cancellable, callback, user_data, &call);
  call->file = g_object_ref (file);
  g_task_run_in_thread (task, import_thread);
}

/**
 * cachet_directory_import_finish:
 *
 * Returns: (transfer full) (nullable): what was imported, or %NULL on error
 */
CachetDirectoryImportReport *
cachet_directory_import_finish (CachetDirectory  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cachet_directory_import_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cachet_directory_update:
 * @self: a #CachetDirectory
 * @url: (nullable): where the extract is published, or %NULL for
 *   %CACHET_DIRECTORY_DEFAULT_URL
 * @progress: (nullable) (scope call): called in this thread as it goes: the
 *   download is the first half, the import the second
 * @progress_data: data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @not_modified: (out): set when the extract has not changed since the last
 *   update
 * @error: return location for a #GError
 *
 * Downloads the extract (asking only for a newer one than the last
 * imported) and imports it. The last extract imported is kept next to the
 * database; a download that fails, or that cannot be imported, leaves it and
 * the directory as they were. Blocks: call it from a worker thread, or use
 * cachet_directory_update_async().
 *
 * Returns: (transfer full) (nullable): what was imported; %NULL on error,
 *   and without error when @not_modified
 */
CachetDirectoryImportReport *
cachet_directory_update (CachetDirectory              *self,
                         const char                   *url,
                         CachetDirectoryProgressFunc   progress,
                         gpointer                      progress_data,
                         GCancellable                 *cancellable,
                         gboolean                     *not_modified,
                         GError                      **error)
{
  CachetDirectoryImportReport *report;

  g_return_val_if_fail (CACHET_IS_DIRECTORY (self), NULL);
  g_return_val_if_fail (not_modified != NULL, NULL);

  report = cachet_directory_update_run (self->path, url != NULL ? url : CACHET_DIRECTORY_DEFAULT_URL,
                                        progress, progress_data, cancellable, not_modified, error);
  if (report != NULL)
    {
      G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

      close_reader (self);
    }
  return report;
}

static void
update_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Call *call = task_data;
  g_autoptr(GError) error = NULL;
  CachetDirectoryImportReport *report;
  gboolean not_modified;

  report = cachet_directory_update (source_object, call->url,
                                    call->progress != NULL ? post_progress : NULL, task,
                                    cancellable, &not_modified, &error);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, report, (GDestroyNotify) cachet_directory_import_report_free);
}

/**
 * cachet_directory_update_async:
 * @self: a #CachetDirectory
 * @url: (nullable): where the extract is published, or %NULL for
 *   %CACHET_DIRECTORY_DEFAULT_URL
 * @progress: (nullable): called on the thread-default main context of the
 *   caller as it goes, never after @callback
 * @progress_data: data for @progress; it must live until @callback
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the update is over
 * @user_data: data for @callback
 *
 * Runs cachet_directory_update() in a worker thread.
 */
void
cachet_directory_update_async (CachetDirectory             *self,
                               const char                  *url,
                               CachetDirectoryProgressFunc  progress,
                               gpointer                     progress_data,
                               GCancellable                *cancellable,
                               GAsyncReadyCallback          callback,
                               gpointer                     user_data)
{
  g_autoptr(GTask) task = NULL;
  Call *call;

  g_return_if_fail (CACHET_IS_DIRECTORY (self));

  task = call_task_new (self, cachet_directory_update_async, progress, progress_data,
                        cancellable, callback, user_data, &call);
  call->url = g_strdup (url);
  g_task_run_in_thread (task, update_thread);
}

/**
 * cachet_directory_update_finish:
 * @self: a #CachetDirectory
 * @result: the result given to the callback
 * @report: (out) (transfer full) (optional) (nullable): what was imported,
 *   or %NULL when the extract had not changed
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the directory is up to date
 */
gboolean
cachet_directory_update_finish (CachetDirectory              *self,
                                GAsyncResult                 *result,
                                CachetDirectoryImportReport **report,
                                GError                      **error)
{
  g_autoptr(CachetDirectoryImportReport) imported = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cachet_directory_update_async, FALSE);

  imported = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (report != NULL)
    *report = g_steal_pointer (&imported);
  return TRUE;
}

static int
check_cancelled (gpointer data)
{
  return g_cancellable_is_cancelled (data);
}

/* A filter as the index stores it, or %NULL when it does not filter. */
static char *
fold_filter (const char  *value,
             GError     **error)
{
  if (value == NULL || value[0] == '\0')
    return NULL;
  if (strlen (value) > MAX_QUERY_BYTES)
    {
      g_set_error_literal (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_INVALID_QUERY,
                           _("The search is too long: shorten it."));
      return NULL;
    }
  return cachet_directory_fold (value);
}

/* Every word must start a word of the entry: "mart" finds Martin. The words
 * are folded, so they hold letters and digits only and quoting them is safe.
 * With @first_in_name, the first word must start a word of the name. */
static char *
build_match_expression (char     **terms,
                        gboolean   first_in_name)
{
  GString *expression = g_string_new (first_in_name ? "{name} : " : NULL);

  for (gsize i = 0; terms[i] != NULL; i++)
    g_string_append_printf (expression, "%s\"%s\"*", i > 0 ? " AND " : "", terms[i]);
  return g_string_free (expression, FALSE);
}

/* A name given in full is a run of consecutive words of the query ("le
 * gall" in "le gall brest"): the JSON array of every such run. */
static char *
build_name_candidates (char **terms)
{
  GString *json = g_string_new ("[");
  guint n_terms = g_strv_length (terms);

  for (guint first = 0; first < n_terms; first++)
    {
      for (guint last = first; last < n_terms; last++)
        {
          g_string_append (json, json->len > 1 ? ",\"" : "\"");
          for (guint i = first; i <= last; i++)
            g_string_append_printf (json, "%s%s", i > first ? " " : "", terms[i]);
          g_string_append_c (json, '"');
        }
    }
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

#define ENTRY_COLUMNS \
  "e.id, e.is_organisation, e.civility, e.first_name, e.last_name, e.profession, " \
  "e.specialty, e.national_id "

#define FILTERS \
  " AND (?2 IS NULL OR e.profession_key = ?2)" \
  " AND (?3 IS NULL OR e.specialty_key = ?3)" \
  " AND (?4 IS NULL OR EXISTS (SELECT 1 FROM mailboxes AS m WHERE m.entry_id = e.id" \
  "      AND (m.department_key = ?4 OR m.city_key = ?4 OR m.postcode = ?4)))" \
  " AND (?5 IS NULL OR EXISTS (SELECT 1 FROM mailboxes AS m WHERE m.entry_id = e.id" \
  "      AND m.type = ?5))"

/* Results come in three passes, each stopped at the limit, so that a search
 * costs about the same whatever the size of the directory (ranking every
 * match, as bm25() does, takes a fifth of a second on a word that half the
 * entries contain):
 *
 *   1. exact names: the whole query is the name, either way round, then
 *      entries whose last name is a run of words of the query ("martin" in
 *      "martin cardio lyon"); through the index on last_key;
 *   2. entries whose name has a word that starts with the first word;
 *   3. every other match.
 *
 * Passes 2 and 3 give entries in the order of the extract. The unary + keeps
 * SQLite from driving pass 1 from the (possibly huge) set of matches. */
static const char exact_name_sql[] =
  "SELECT " ENTRY_COLUMNS
  "FROM entries AS e "
  "WHERE e.last_key IN (SELECT value FROM json_each (?7))"
  " AND +e.id IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?1)" FILTERS
  " ORDER BY CASE WHEN ?6 IN (e.last_key, e.name_key, e.reversed_key) THEN 0 ELSE 1 END,"
  "          e.name_key, e.id"
  " LIMIT ?8";

static const char match_sql[] =
  "SELECT " ENTRY_COLUMNS
  "FROM entries_fts JOIN entries AS e ON e.id = entries_fts.rowid "
  "WHERE entries_fts MATCH ?1" FILTERS
  " LIMIT ?8";

static const char filters_only_sql[] =
  "SELECT " ENTRY_COLUMNS
  "FROM entries AS e WHERE 1" FILTERS
  " LIMIT ?8";

static const char mailboxes_sql[] =
  "SELECT address, type, organisation, service, street, postcode, city, department "
  "FROM mailboxes WHERE entry_id = ?1 ORDER BY id";

static const char *
column_text (sqlite3_stmt *statement,
             int           column)
{
  const char *text = (const char *) sqlite3_column_text (statement, column);

  return text != NULL ? text : "";
}

static CachetDirectoryEntry *
entry_from_row (sqlite3_stmt *statement)
{
  CachetDirectoryEntryDetails details = {
    .is_organisation = sqlite3_column_int (statement, 1) != 0,
    .civility = column_text (statement, 2),
    .first_name = column_text (statement, 3),
    .last_name = column_text (statement, 4),
    .profession = column_text (statement, 5),
    .specialty = column_text (statement, 6),
    .national_id = column_text (statement, 7),
  };

  return cachet_directory_entry_new (&details);
}

static gboolean
load_mailboxes (sqlite3               *db,
                sqlite3_stmt          *statement,
                sqlite3_int64          entry_id,
                CachetDirectoryEntry  *entry,
                GError               **error)
{
  int rc;

  sqlite3_reset (statement);
  sqlite3_bind_int64 (statement, 1, entry_id);
  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    {
      g_autoptr(CachetDirectoryMailbox) mailbox = NULL;
      int type = sqlite3_column_int (statement, 1);
      CachetDirectoryMailboxPlace place = {
        .organisation = column_text (statement, 2),
        .service = column_text (statement, 3),
        .street = column_text (statement, 4),
        .postcode = column_text (statement, 5),
        .city = column_text (statement, 6),
        .department = column_text (statement, 7),
      };

      if (type < 0 || type > CACHET_DIRECTORY_MAILBOX_PRACTICE)
        type = CACHET_DIRECTORY_MAILBOX_PERSONAL;
      mailbox = cachet_directory_mailbox_new (column_text (statement, 0),
                                              (CachetDirectoryMailboxType) type, &place);
      cachet_directory_entry_add_mailbox (entry, mailbox);
    }
  if (rc != SQLITE_DONE)
    return set_read_error (error, db);
  return TRUE;
}

static gboolean
validate_query (const CachetDirectoryQuery  *query,
                char                      ***terms,
                GError                     **error)
{
  g_autofree char *folded = NULL;

  if (query->text != NULL && strlen (query->text) > MAX_QUERY_BYTES)
    {
      g_set_error_literal (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_INVALID_QUERY,
                           _("The search is too long: shorten it."));
      return FALSE;
    }
  folded = cachet_directory_fold (query->text != NULL ? query->text : "");
  *terms = folded[0] != '\0' ? g_strsplit (folded, " ", -1) : g_new0 (char *, 1);
  if (g_strv_length (*terms) > MAX_QUERY_TERMS)
    {
      g_set_error (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_INVALID_QUERY,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The search has more than %d word: remove some.",
                                "The search has more than %d words: remove some.",
                                MAX_QUERY_TERMS),
                   MAX_QUERY_TERMS);
      return FALSE;
    }
  if ((*terms)[0] == NULL
      && (query->profession == NULL || query->profession[0] == '\0')
      && (query->specialty == NULL || query->specialty[0] == '\0')
      && (query->place == NULL || query->place[0] == '\0')
      && !query->has_mailbox_type)
    {
      g_set_error_literal (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_INVALID_QUERY,
                           _("Type a name, a profession or a place to search the directory."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
bind_filters (sqlite3_stmt                *statement,
              const CachetDirectoryQuery  *query,
              guint                        limit,
              GError                     **error)
{
  const char *values[] = { query->profession, query->specialty, query->place };

  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(GError) local_error = NULL;
      char *folded = fold_filter (values[i], &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      sqlite3_bind_text (statement, (int) i + 2, folded, -1, g_free);
    }
  if (query->has_mailbox_type)
    sqlite3_bind_int (statement, 5, (int) query->mailbox_type);
  sqlite3_bind_int64 (statement, 8, limit);
  return TRUE;
}

typedef struct
{
  GListStore *results;
  GArray     *ids;
  GHashTable *seen;
  guint       limit;
} Collector;

/* Runs one pass, adding the entries not found by an earlier pass. */
static gboolean
collect (CachetDirectory             *self,
         Collector                   *collector,
         const char                  *sql,
         const CachetDirectoryQuery  *query,
         char                        *match,
         char                        *full_query,
         char                        *name_candidates,
         GError                     **error)
{
  g_autoptr(sqlite3_stmt) statement = NULL;
  guint found = g_hash_table_size (collector->seen);
  int rc = SQLITE_DONE;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &statement, NULL) != SQLITE_OK)
    return set_read_error (error, self->db);
  /* Asking for as many more as were found before makes room for the
   * entries this pass finds again. */
  if (!bind_filters (statement, query, collector->limit + found, error))
    return FALSE;
  sqlite3_bind_text (statement, 1, match, -1, SQLITE_STATIC);
  sqlite3_bind_text (statement, 6, full_query, -1, SQLITE_STATIC);
  sqlite3_bind_text (statement, 7, name_candidates, -1, SQLITE_STATIC);

  while (g_list_model_get_n_items (G_LIST_MODEL (collector->results)) < collector->limit
         && (rc = sqlite3_step (statement)) == SQLITE_ROW)
    {
      g_autoptr(CachetDirectoryEntry) entry = NULL;
      sqlite3_int64 id = sqlite3_column_int64 (statement, 0);
      gint64 *key;

      if (g_hash_table_contains (collector->seen, &id))
        continue;
      key = g_new (gint64, 1);
      *key = id;
      g_hash_table_add (collector->seen, key);
      g_array_append_val (collector->ids, id);
      entry = entry_from_row (statement);
      g_list_store_append (collector->results, entry);
    }
  if (g_list_model_get_n_items (G_LIST_MODEL (collector->results)) < collector->limit
      && rc != SQLITE_DONE)
    return set_read_error (error, self->db);
  return TRUE;
}

static GListModel *
run_search (CachetDirectory             *self,
            const CachetDirectoryQuery  *query,
            char                       **terms,
            GError                     **error)
{
  g_autoptr(GListStore) results = g_list_store_new (CACHET_TYPE_DIRECTORY_ENTRY);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (sqlite3_int64));
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(sqlite3_stmt) mailboxes = NULL;
  Collector collector = {
    results, ids, seen, CLAMP (query->limit == 0 ? DEFAULT_LIMIT : query->limit, 1, MAX_LIMIT)
  };

  if (terms[0] != NULL)
    {
      g_autofree char *all_terms = build_match_expression (terms, FALSE);
      g_autofree char *first_in_name = build_match_expression (terms, TRUE);
      g_autofree char *full_query = g_strjoinv (" ", terms);
      g_autofree char *name_candidates = build_name_candidates (terms);

      if (!collect (self, &collector, exact_name_sql, query, all_terms, full_query,
                    name_candidates, error)
          || !collect (self, &collector, match_sql, query, first_in_name, NULL, NULL, error)
          || !collect (self, &collector, match_sql, query, all_terms, NULL, NULL, error))
        return NULL;
    }
  else if (!collect (self, &collector, filters_only_sql, query, NULL, NULL, NULL, error))
    {
      return NULL;
    }

  if (sqlite3_prepare_v2 (self->db, mailboxes_sql, -1, &mailboxes, NULL) != SQLITE_OK)
    {
      set_read_error (error, self->db);
      return NULL;
    }
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(CachetDirectoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (results), i);

      if (!load_mailboxes (self->db, mailboxes, g_array_index (ids, sqlite3_int64, i), entry, error))
        return NULL;
    }

  return G_LIST_MODEL (g_steal_pointer (&results));
}

/**
 * cachet_directory_search:
 * @self: a #CachetDirectory
 * @query: what to look for
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Finds people and structures, best first, each with all its mailboxes.
 * Takes milliseconds, but may wait for another search: call it from a
 * worker thread, or use cachet_directory_search_async().
 *
 * Returns: (transfer full) (nullable): a #GListModel of
 *   #CachetDirectoryEntry, or %NULL on error
 */
GListModel *
cachet_directory_search (CachetDirectory             *self,
                         const CachetDirectoryQuery  *query,
                         GCancellable                *cancellable,
                         GError                     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_auto(GStrv) terms = NULL;
  GListModel *results;

  g_return_val_if_fail (CACHET_IS_DIRECTORY (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  if (!validate_query (query, &terms, error))
    return NULL;

  locker = g_mutex_locker_new (&self->lock);
  if (!ensure_reader (self, error))
    return NULL;

  if (cancellable != NULL)
    sqlite3_progress_handler (self->db, CANCEL_CHECK_OPS, check_cancelled, cancellable);
  results = run_search (self, query, terms, error);
  sqlite3_progress_handler (self->db, 0, NULL, NULL);

  return results;
}

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  GListModel *results = cachet_directory_search (source_object, task_data, cancellable, &error);

  if (results == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, results, g_object_unref);
}

/**
 * cachet_directory_search_async:
 * @self: a #CachetDirectory
 * @query: what to look for (copied)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the results
 * @user_data: data for @callback
 *
 * Runs cachet_directory_search() in a worker thread.
 */
void
cachet_directory_search_async (CachetDirectory            *self,
                               const CachetDirectoryQuery *query,
                               GCancellable               *cancellable,
                               GAsyncReadyCallback         callback,
                               gpointer                    user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CACHET_IS_DIRECTORY (self));
  g_return_if_fail (query != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cachet_directory_search_async);
  g_task_set_task_data (task, cachet_directory_query_copy (query),
                        (GDestroyNotify) cachet_directory_query_free);
  g_task_run_in_thread (task, search_thread);
}

/**
 * cachet_directory_search_finish:
 *
 * Returns: (transfer full) (nullable): a #GListModel of
 *   #CachetDirectoryEntry, or %NULL on error
 */
GListModel *
cachet_directory_search_finish (CachetDirectory  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cachet_directory_search_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static guint64
meta_count (sqlite3    *db,
            const char *key)
{
  g_autofree char *value = read_meta (db, key, NULL);
  guint64 count = 0;

  if (value != NULL)
    g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT64, &count, NULL);
  return count;
}

/**
 * cachet_directory_query_info:
 * @self: a #CachetDirectory
 * @error: return location for a #GError
 *
 * Reads a few values kept with the directory: quick enough for the main
 * thread.
 *
 * Returns: (transfer full) (nullable): the state of the directory, or %NULL
 *   with %CACHET_DIRECTORY_ERROR_NOT_IMPORTED when there is none
 */
CachetDirectoryInfo *
cachet_directory_query_info (CachetDirectory  *self,
                             GError          **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(CachetDirectoryInfo) info = NULL;
  GStatBuf file_info;

  g_return_val_if_fail (CACHET_IS_DIRECTORY (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  if (!ensure_reader (self, error))
    return NULL;

  info = g_new0 (CachetDirectoryInfo, 1);
  info->path = g_strdup (self->path);
  if (g_stat (self->path, &file_info) == 0)
    info->size = (guint64) file_info.st_size;
  info->entries = meta_count (self->db, "entries");
  info->mailboxes = meta_count (self->db, "mailboxes");
  info->extract_date = read_meta (self->db, "extract_date", NULL);
  info->source_name = read_meta (self->db, "source_name", NULL);
  info->imported_at = read_meta (self->db, "imported_at", NULL);
  if (info->source_name == NULL)
    info->source_name = g_strdup ("");
  if (info->imported_at == NULL)
    info->imported_at = g_strdup ("");

  return g_steal_pointer (&info);
}
