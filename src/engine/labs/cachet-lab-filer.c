/* cachet-lab-filer.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cachet-lab-filer.h"
#include "cachet-lab-parser.h"
#include "cachet-lab-patient-record.h"
#include "cachet-lab-render.h"
#include "cachet-labs-error.h"
#include "cachet-paths.h"
#include "cachet-sqlite-private.h"

/* Files lab results where people and practice software find them, losing
 * nothing and filing nothing twice:
 *
 *   <archive>/_originals/<hash>-<name>       every file received, unchanged
 *   <archive>/<NOM Prénom (date)>/[<YYYY>/]<date>_<lab>_<id>.html|.pdf|.<ext>
 *   <archive>/_unconfirmed/<NOM Prénom (date)>/…   waiting for the user
 *   <archive>/_unrecognised/<hash>-<name>, + .reason.txt
 *   <inbox>/[<YYYY-MM-DD>/]<hash>-<name>      for the practice software
 *
 * The parts in brackets, and whether an HTML page is written beside a PDF,
 * follow the layout (CachetLabLayout). Nothing else depends on it: the
 * journal records each path written and the patient's folder itself, and
 * finds duplicates by content and business key.
 *
 * Every write goes to a temporary file that is synced, then renamed without
 * replacing anything, then the directory is synced. Names are deterministic
 * and an existing file with the same bytes is reused, so an import that was
 * killed half-way and run again writes no second copy; the journal commits
 * after the files, in one transaction. */

#define BUSY_TIMEOUT_MS   10000
#define MAX_SUFFIX        1000
#define MAX_NAME_CHARS    80
#define HASH_PREFIX_CHARS 16

#define TEMPORARY_PREFIX ".cachet-import-"
#define ORIGINALS_DIR    "_originals"
#define UNCONFIRMED_DIR  "_unconfirmed"
#define UNRECOGNISED_DIR "_unrecognised"

struct _CachetLabFiler
{
  GObject parent_instance;

  sqlite3 *db;
  GMutex lock;
  char *archive_dir;
  char *inbox_dir;
  /* A CachetLabLayout, atomic: setting it must not wait for an import,
   * which reads it once, when it starts. */
  gint layout;
  /* Folders already rid of a killed import's temporary files: listing a
   * folder of thousands of originals before each write made importing
   * many files quadratic. */
  GHashTable *swept_dirs;
  /* Folders where files were renamed into place since the last commit. */
  GHashTable *unsynced_dirs;
};

G_DEFINE_FINAL_TYPE (CachetLabFiler, cachet_lab_filer, G_TYPE_OBJECT)

/* A patient is who the practice files results for: one folder each. The
 * INS is unique among qualified ones only: a patient filed on the user's
 * word keeps the INS the report gave, which proves nothing. */
#define PATIENTS_COLUMNS \
  "(id INTEGER PRIMARY KEY," \
  " ins TEXT," \
  " ins_qualified INTEGER NOT NULL DEFAULT 0," \
  " match_key TEXT NOT NULL," \
  " display_name TEXT NOT NULL," \
  " family_name TEXT," \
  " given_names TEXT," \
  " birth_date TEXT," \
  " sex TEXT," \
  " folder TEXT NOT NULL)"

/* The identity a report gives, kept so that the user can make a patient
 * of it later without the file being read again. */
#define REPORT_IDENTITY_COLUMNS \
  "  patient_family TEXT," \
  "  patient_given TEXT," \
  "  patient_birth_date TEXT," \
  "  patient_sex TEXT," \
  "  patient_ins TEXT," \
  "  patient_match_key TEXT"

static const char *const report_identity_columns[] = {
  "patient_family", "patient_given", "patient_birth_date", "patient_sex", "patient_ins", "patient_match_key",
};

static const char schema[] =
  "CREATE TABLE IF NOT EXISTS files ("
  "  id INTEGER PRIMARY KEY,"
  "  sha256 TEXT NOT NULL UNIQUE,"
  "  name TEXT NOT NULL,"
  "  size INTEGER NOT NULL,"
  "  format TEXT NOT NULL,"
  "  imported_at INTEGER NOT NULL,"
  "  sender TEXT);"
  "CREATE TABLE IF NOT EXISTS patients " PATIENTS_COLUMNS ";"
  "CREATE TABLE IF NOT EXISTS reports ("
  "  id INTEGER PRIMARY KEY,"
  "  file_id INTEGER NOT NULL REFERENCES files (id),"
  "  business_key TEXT,"
  "  results_digest TEXT,"
  "  status TEXT NOT NULL,"
  "  patient_id INTEGER REFERENCES patients (id),"
  "  candidate_id INTEGER REFERENCES patients (id),"
  "  related_id INTEGER REFERENCES reports (id),"
  "  patient_name TEXT,"
  "  lab TEXT,"
  "  report_id TEXT,"
  "  report_date TEXT,"
  "  folder TEXT,"
  "  original_path TEXT,"
  "  report_files TEXT,"
  "  reason TEXT,"
  REPORT_IDENTITY_COLUMNS ");"
  "CREATE INDEX IF NOT EXISTS reports_business_key ON reports (business_key);"
  "CREATE INDEX IF NOT EXISTS reports_report_id ON reports (report_id);"
  /* Kept with the journal, not in settings: the same override must apply
   * when a file is read again, by any tool that opens the journal. */
  "CREATE TABLE IF NOT EXISTS sender_charsets ("
  "  sender TEXT PRIMARY KEY,"
  "  charset TEXT NOT NULL);";

/* After migrate(): older journals get the columns these index first. */
static const char patient_indexes[] =
  "CREATE INDEX IF NOT EXISTS patients_match_key ON patients (match_key);"
  "CREATE UNIQUE INDEX IF NOT EXISTS patients_qualified_ins ON patients (ins) WHERE ins_qualified = 1;"
  "CREATE INDEX IF NOT EXISTS reports_patient ON reports (patient_id);";

/* Bounds on what the user types for an override: an address, a charset name. */
#define MAX_SENDER_BYTES  320
#define MAX_CHARSET_BYTES 64

static gboolean
set_journal_error (GError     **error,
                   sqlite3     *db)
{
  g_set_error (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_JOURNAL,
               _("The lab import journal cannot be updated (%s); check the disk and try again"),
               sqlite3_errmsg (db));
  return FALSE;
}

static gboolean
set_file_error (GError     **error,
                int          saved_errno,
                const char  *path)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Cannot write “%s”: %s; check that the folder is writable and the disk not full"),
               path, g_strerror (saved_errno));
  return FALSE;
}

static sqlite3_stmt *
prepare (CachetLabFiler  *self,
         const char      *sql,
         GError         **error)
{
  sqlite3_stmt *statement = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &statement, NULL) != SQLITE_OK)
    {
      set_journal_error (error, self->db);
      return NULL;
    }
  return statement;
}

static gboolean
execute (CachetLabFiler  *self,
         const char      *sql,
         GError         **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return set_journal_error (error, self->db);
  return TRUE;
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

static void
bind_id (sqlite3_stmt *statement,
         int           index,
         gint64        id)
{
  if (id > 0)
    sqlite3_bind_int64 (statement, index, id);
  else
    sqlite3_bind_null (statement, index);
}

/* Runs a one-row query; returns the first column, 0 when there is no row. */
static gint64
query_id (CachetLabFiler  *self,
          const char      *sql,
          const char      *text,
          GError         **error)
{
  g_autoptr(sqlite3_stmt) statement = prepare (self, sql, error);
  int rc;

  if (statement == NULL)
    return -1;
  bind_text (statement, 1, text);
  rc = sqlite3_step (statement);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (statement, 0);
  if (rc != SQLITE_DONE)
    {
      set_journal_error (error, self->db);
      return -1;
    }
  return 0;
}

/* ---- Durable files ---------------------------------------------------- */

static gboolean
fsync_directory (const char  *path,
                 GError     **error)
{
  int fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    return set_file_error (error, errno, path);
  /* Some file systems cannot sync a directory: the file itself is synced. */
  if (fsync (fd) != 0 && errno != EINVAL)
    {
      int saved_errno = errno;

      close (fd);
      return set_file_error (error, saved_errno, path);
    }
  close (fd);
  return TRUE;
}

static gboolean
ensure_directory (const char  *path,
                  GError     **error)
{
  g_autofree char *parent = NULL;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return TRUE;
  if (g_mkdir_with_parents (path, 0700) != 0)
    return set_file_error (error, errno, path);
  /* The new directory entry must survive a crash like the files in it. */
  parent = g_path_get_dirname (path);
  return fsync_directory (path, error) && fsync_directory (parent, error);
}

static gboolean
has_same_bytes (const char *path,
                GBytes     *bytes)
{
  g_autofree char *contents = NULL;
  gsize size = 0;
  GStatBuf status;

  if (g_lstat (path, &status) != 0 || !S_ISREG (status.st_mode)
      || (gsize) status.st_size != g_bytes_get_size (bytes))
    return FALSE;
  if (!g_file_get_contents (path, &contents, &size, NULL))
    return FALSE;
  return size == g_bytes_get_size (bytes)
         && (size == 0 || memcmp (contents, g_bytes_get_data (bytes, NULL), size) == 0);
}

static gboolean
write_all (int            fd,
           GBytes        *bytes,
           const char    *path,
           GError       **error)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  while (size > 0)
    {
      ssize_t written = write (fd, data, size);

      if (written < 0)
        {
          if (errno == EINTR)
            continue;
          return set_file_error (error, errno, path);
        }
      data += written;
      size -= (gsize) written;
    }
  return TRUE;
}

/* Moves @from to @to unless @to exists; FALSE with errno EEXIST when it
 * does. Without RENAME_NOREPLACE (some network file systems) a hard link
 * gives the same guarantee. */
static gboolean
rename_no_replace (const char *from,
                   const char *to)
{
  if (renameat2 (AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
    return TRUE;
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
    return FALSE;
  if (link (from, to) != 0)
    return FALSE;
  g_unlink (from);
  return TRUE;
}

/* An import killed while writing leaves its temporary file behind. Only
 * an import holding the journal's write lock writes temporary files, and
 * this one holds it: any found now is litter. Once per folder and filer:
 * this filer's own temporaries never outlive a write, and litter left
 * later by another program, hidden and harmless, goes at the next start. */
static void
remove_stale_temporaries (CachetLabFiler *self,
                          const char     *dir)
{
  g_autoptr(GDir) listing = NULL;
  const char *name;

  if (!g_hash_table_add (self->swept_dirs, g_strdup (dir)))
    return;
  listing = g_dir_open (dir, 0, NULL);

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      if (g_str_has_prefix (name, TEMPORARY_PREFIX))
        {
          g_autofree char *path = g_build_filename (dir, name, NULL);

          g_unlink (path);
        }
    }
}

/* Writes @bytes as <dir>/<stem>.<extension>, or <stem>-2.<extension>… if
 * another file holds the name; reuses a file that already has these bytes.
 * Returns the path. */
static char *
write_unique (CachetLabFiler  *self,
              const char      *dir,
              const char      *stem,
              const char      *extension,
              GBytes          *bytes,
              GError         **error)
{
  if (!ensure_directory (dir, error))
    return NULL;
  remove_stale_temporaries (self, dir);

  for (guint attempt = 1; attempt <= MAX_SUFFIX; attempt++)
    {
      g_autofree char *name = attempt == 1 ? g_strdup_printf ("%s.%s", stem, extension)
                                           : g_strdup_printf ("%s-%u.%s", stem, attempt, extension);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *temporary = NULL;
      int fd;

      if (g_file_test (path, G_FILE_TEST_EXISTS) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        {
          if (has_same_bytes (path, bytes))
            return g_steal_pointer (&path);
          continue;
        }

      temporary = g_build_filename (dir, TEMPORARY_PREFIX "XXXXXX", NULL);
      fd = g_mkstemp_full (temporary, O_WRONLY | O_CLOEXEC, 0600);
      if (fd < 0)
        {
          set_file_error (error, errno, dir);
          return NULL;
        }
      if (!write_all (fd, bytes, path, error))
        {
          close (fd);
          g_unlink (temporary);
          return NULL;
        }
      if (fsync (fd) != 0 || close (fd) != 0)
        {
          set_file_error (error, errno, path);
          g_unlink (temporary);
          return NULL;
        }
      if (!rename_no_replace (temporary, path))
        {
          int saved_errno = errno;

          g_unlink (temporary);
          /* Someone wrote the name meanwhile. */
          if (saved_errno == EEXIST)
            {
              if (has_same_bytes (path, bytes))
                return g_steal_pointer (&path);
              continue;
            }
          set_file_error (error, saved_errno, path);
          return NULL;
        }
      /* The folder is synced once before the journal commits, not after
       * each of the several files an import puts in it. */
      g_hash_table_add (self->unsynced_dirs, g_strdup (dir));
      return g_steal_pointer (&path);
    }

  g_set_error (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_TOO_LARGE,
               _("Too many files named “%s” in “%s”; tidy the folder and import again"), stem, dir);
  return NULL;
}

/* Commits the journal once every file it names is durable: the files
 * were synced when written, their folders are synced now. */
static gboolean
commit_durably (CachetLabFiler  *self,
                GError         **error)
{
  GHashTableIter iter;
  const char *dir;

  g_hash_table_iter_init (&iter, self->unsynced_dirs);
  while (g_hash_table_iter_next (&iter, (gpointer *) &dir, NULL))
    {
      if (!fsync_directory (dir, error))
        return FALSE;
      g_hash_table_iter_remove (&iter);
    }
  return execute (self, "COMMIT", error);
}

/* One path component from text a lab wrote: no separators, controls or
 * characters Windows shares refuse, no leading dot, bounded. */
static char *
safe_component (const char *text,
                const char *fallback)
{
  g_autoptr(GString) safe = g_string_new (NULL);
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  guint count = 0;

  for (const char *p = valid; *p != '\0' && count < MAX_NAME_CHARS; p = g_utf8_next_char (p), count++)
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || (c < 0x80 && strchr ("/\\:*?\"<>|", (int) c) != NULL)
          || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069))
        g_string_append_c (safe, '_');
      else
        g_string_append_unichar (safe, c);
    }
  while (safe->len > 0 && (safe->str[safe->len - 1] == '.' || safe->str[safe->len - 1] == ' '))
    g_string_truncate (safe, safe->len - 1);
  while (safe->len > 0 && (safe->str[0] == '.' || safe->str[0] == ' '))
    g_string_erase (safe, 0, 1);
  if (safe->len == 0)
    g_string_assign (safe, fallback);
  return g_string_free (g_steal_pointer (&safe), FALSE);
}

/* ---- The filer -------------------------------------------------------- */

static void
cachet_lab_filer_finalize (GObject *object)
{
  CachetLabFiler *self = CACHET_LAB_FILER (object);

  g_clear_pointer (&self->db, sqlite3_close);
  g_mutex_clear (&self->lock);
  g_clear_pointer (&self->archive_dir, g_free);
  g_clear_pointer (&self->inbox_dir, g_free);
  g_clear_pointer (&self->swept_dirs, g_hash_table_unref);
  g_clear_pointer (&self->unsynced_dirs, g_hash_table_unref);

  G_OBJECT_CLASS (cachet_lab_filer_parent_class)->finalize (object);
}

static void
cachet_lab_filer_class_init (CachetLabFilerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cachet_lab_filer_finalize;
}

static void
cachet_lab_filer_init (CachetLabFiler *self)
{
  g_mutex_init (&self->lock);
  self->swept_dirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->unsynced_dirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * cachet_lab_filer_dup_default_journal:
 *
 * Returns: (transfer full): where the import journal lives, under the XDG
 *   data directory
 */
char *
cachet_lab_filer_dup_default_journal (void)
{
  return g_build_filename (cachet_paths_get_data_dir (), "labs", "journal.sqlite", NULL);
}

/**
 * cachet_lab_filer_dup_default_archive:
 *
 * Returns: (transfer full): the per-patient archive used when the user
 *   chose none
 */
char *
cachet_lab_filer_dup_default_archive (void)
{
  return g_build_filename (cachet_paths_get_data_dir (), "labs", "archive", NULL);
}

static gboolean
table_has_column (CachetLabFiler  *self,
                  const char      *table,
                  const char      *column,
                  gboolean        *found,
                  GError         **error)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA table_info (%s)", table);
  g_autoptr(sqlite3_stmt) columns = prepare (self, sql, error);
  int rc;

  if (columns == NULL)
    return FALSE;
  *found = FALSE;
  while ((rc = sqlite3_step (columns)) == SQLITE_ROW)
    *found |= g_strcmp0 ((const char *) sqlite3_column_text (columns, 1), column) == 0;
  if (rc != SQLITE_DONE)
    return set_journal_error (error, self->db);
  return TRUE;
}

static gboolean
add_column_if_missing (CachetLabFiler  *self,
                       const char      *table,
                       const char      *column,
                       GError         **error)
{
  g_autofree char *sql = g_strdup_printf ("ALTER TABLE %s ADD COLUMN %s TEXT", table, column);
  gboolean found = FALSE;

  return table_has_column (self, table, column, &found, error) && (found || execute (self, sql, error));
}

/* Journals from before patients had folders of their own held only
 * patients with a qualified INS, filed in the folder named after them. */
static gboolean
migrate_patients (CachetLabFiler  *self,
                  GError         **error)
{
  g_autoptr(sqlite3_stmt) rows = NULL;
  gboolean found = FALSE;
  int rc;

  if (!table_has_column (self, "patients", "folder", &found, error))
    return FALSE;
  if (found)
    return TRUE;
  if (!execute (self,
                "CREATE TABLE patients_new " PATIENTS_COLUMNS ";"
                "INSERT INTO patients_new (id, ins, ins_qualified, match_key, display_name, folder)"
                " SELECT id, ins, 1, match_key, display_name, display_name FROM patients;"
                "DROP TABLE patients;"
                "ALTER TABLE patients_new RENAME TO patients;", error))
    return FALSE;

  if ((rows = prepare (self, "SELECT id, display_name FROM patients", error)) == NULL)
    return FALSE;
  while ((rc = sqlite3_step (rows)) == SQLITE_ROW)
    {
      g_autofree char *folder = safe_component ((const char *) sqlite3_column_text (rows, 1), _("Unknown patient"));
      g_autoptr(sqlite3_stmt) update = prepare (self, "UPDATE patients SET folder = ?1 WHERE id = ?2", error);

      if (update == NULL)
        return FALSE;
      bind_text (update, 1, folder);
      sqlite3_bind_int64 (update, 2, sqlite3_column_int64 (rows, 0));
      if (sqlite3_step (update) != SQLITE_DONE)
        return set_journal_error (error, self->db);
    }
  if (rc != SQLITE_DONE)
    return set_journal_error (error, self->db);
  return TRUE;
}

/* Brings older journals to this schema: files get their sender (their old
 * files have none, so no override applies when they are read again),
 * reports the identity they give, patients their folder. IMMEDIATE: two
 * programs opening an old journal at once alter it once. Foreign keys are
 * off while the patients table is rebuilt, as SQLite asks, and checked
 * before the commit. */
static gboolean
migrate (CachetLabFiler  *self,
         GError         **error)
{
  g_autoptr(sqlite3_stmt) check = NULL;
  int rc;

  if (!execute (self, "PRAGMA foreign_keys = OFF", error) || !execute (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!add_column_if_missing (self, "files", "sender", error))
    goto failed;
  for (gsize i = 0; i < G_N_ELEMENTS (report_identity_columns); i++)
    {
      if (!add_column_if_missing (self, "reports", report_identity_columns[i], error))
        goto failed;
    }
  if (!migrate_patients (self, error))
    goto failed;
  if ((check = prepare (self, "PRAGMA foreign_key_check", error)) == NULL)
    goto failed;
  if ((rc = sqlite3_step (check)) != SQLITE_DONE)
    {
      if (rc == SQLITE_ROW)
        g_set_error_literal (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_JOURNAL,
                             _("The lab import journal names patients or files it does not hold; restore it from a backup"));
      else
        set_journal_error (error, self->db);
      goto failed;
    }
  return execute (self, "COMMIT", error) && execute (self, "PRAGMA foreign_keys = ON", error);

failed:
  execute (self, "ROLLBACK", NULL);
  return FALSE;
}

/**
 * cachet_lab_filer_new:
 * @journal_path: the SQLite import journal, created if missing
 * @archive_dir: the root of the per-patient archive
 * @inbox_dir: (nullable): the practice software's inbox folder, which gets
 *   a copy of every new original file
 *
 * Returns: (transfer full) (nullable): the filer, or %NULL if the journal
 *   cannot be opened
 */
CachetLabFiler *
cachet_lab_filer_new (const char  *journal_path,
                      const char  *archive_dir,
                      const char  *inbox_dir,
                      GError     **error)
{
  g_autoptr(CachetLabFiler) self = g_object_new (CACHET_TYPE_LAB_FILER, NULL);
  g_autofree char *journal_dir = g_path_get_dirname (journal_path);

  g_return_val_if_fail (journal_path != NULL, NULL);
  g_return_val_if_fail (archive_dir != NULL, NULL);

  self->archive_dir = g_canonicalize_filename (archive_dir, NULL);
  self->inbox_dir = inbox_dir != NULL ? g_canonicalize_filename (inbox_dir, NULL) : NULL;
  if (!ensure_directory (journal_dir, error))
    return NULL;
  if (sqlite3_open_v2 (journal_path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK)
    {
      set_journal_error (error, self->db);
      return NULL;
    }
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  if (!execute (self, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;", error)
      || !execute (self, schema, error)
      || !migrate (self, error)
      || !execute (self, patient_indexes, error))
    return NULL;
  return g_steal_pointer (&self);
}

const char *
cachet_lab_filer_get_archive_dir (CachetLabFiler *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_FILER (self), NULL);
  return self->archive_dir;
}

CachetLabLayout
cachet_lab_filer_get_layout (CachetLabFiler *self)
{
  g_return_val_if_fail (CACHET_IS_LAB_FILER (self), CACHET_LAB_LAYOUT_DEFAULT);
  return (CachetLabLayout) g_atomic_int_get (&self->layout);
}

/**
 * cachet_lab_filer_set_layout:
 * @layout: how to lay out the files of the next filings
 *
 * Applies from the next import or confirmation on; an import running in
 * another thread finishes with the layout it started with.
 */
void
cachet_lab_filer_set_layout (CachetLabFiler  *self,
                             CachetLabLayout  layout)
{
  g_return_if_fail (CACHET_IS_LAB_FILER (self));
  g_atomic_int_set (&self->layout, (gint) layout);
}

/* The first column of the first row; NULL when there is none. */
static char *
query_text (CachetLabFiler  *self,
            const char      *sql,
            const char      *text,
            gint64           id,
            GError         **error)
{
  g_autoptr(sqlite3_stmt) statement = prepare (self, sql, error);
  int rc;

  if (statement == NULL)
    return NULL;
  if (text != NULL)
    bind_text (statement, 1, text);
  else
    sqlite3_bind_int64 (statement, 1, id);
  rc = sqlite3_step (statement);
  if (rc == SQLITE_ROW)
    return g_strdup ((const char *) sqlite3_column_text (statement, 0));
  if (rc != SQLITE_DONE)
    set_journal_error (error, self->db);
  return NULL;
}

static gboolean
check_charset (const char  *charset,
               GError     **error)
{
  GIConv converter;

  if (strlen (charset) <= MAX_CHARSET_BYTES
      && (converter = g_iconv_open ("UTF-8", charset)) != (GIConv) -1)
    {
      g_iconv_close (converter);
      return TRUE;
    }
  g_set_error (error, G_CONVERT_ERROR, G_CONVERT_ERROR_NO_CONVERSION,
               _("“%s” is not a character set this computer knows; try ISO-8859-1, WINDOWS-1252 or MACINTOSH"),
               charset);
  return FALSE;
}

/**
 * cachet_lab_filer_set_sender_charset:
 * @sender: the sender's address
 * @charset: (nullable): the charset the sender's text files are in, or
 *   %NULL to detect it again
 *
 * Overrides charset detection for one sender whose files are misread. The
 * override is kept in the journal: it applies to every later import and
 * when the sender's files already filed are read again.
 *
 * Returns: %TRUE once the journal keeps it
 */
gboolean
cachet_lab_filer_set_sender_charset (CachetLabFiler  *self,
                                     const char      *sender,
                                     const char      *charset,
                                     GError         **error)
{
  g_autofree char *key = NULL;
  g_autoptr(sqlite3_stmt) statement = NULL;
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (CACHET_IS_LAB_FILER (self), FALSE);
  g_return_val_if_fail (sender != NULL, FALSE);

  if (*sender == '\0' || strlen (sender) > MAX_SENDER_BYTES || !g_utf8_validate (sender, -1, NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Give the sender’s mail address, as it appears in its messages"));
      return FALSE;
    }
  if (charset != NULL && !check_charset (charset, error))
    return FALSE;

  key = g_ascii_strdown (sender, -1);
  locker = g_mutex_locker_new (&self->lock);
  statement = prepare (self, charset != NULL
                               ? "INSERT OR REPLACE INTO sender_charsets (sender, charset) VALUES (?1, ?2)"
                               : "DELETE FROM sender_charsets WHERE sender = ?1",
                       error);
  if (statement == NULL)
    return FALSE;
  bind_text (statement, 1, key);
  if (charset != NULL)
    bind_text (statement, 2, charset);
  if (sqlite3_step (statement) != SQLITE_DONE)
    return set_journal_error (error, self->db);
  return TRUE;
}

typedef struct
{
  char *sender;
  char *charset;
} SenderCharsetData;

static void
sender_charset_data_free (SenderCharsetData *data)
{
  g_free (data->sender);
  g_free (data->charset);
  g_free (data);
}

static void
set_sender_charset_thread (GTask        *task,
                           gpointer      source_object,
                           gpointer      task_data,
                           GCancellable *cancellable)
{
  SenderCharsetData *data = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (cachet_lab_filer_set_sender_charset (source_object, data->sender, data->charset, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * cachet_lab_filer_set_sender_charset_async:
 *
 * Sets the override in a worker: an import holding the journal makes
 * cachet_lab_filer_set_sender_charset() wait for it.
 */
void
cachet_lab_filer_set_sender_charset_async (CachetLabFiler      *self,
                                           const char          *sender,
                                           const char          *charset,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SenderCharsetData *data;

  g_return_if_fail (CACHET_IS_LAB_FILER (self));
  g_return_if_fail (sender != NULL);

  data = g_new0 (SenderCharsetData, 1);
  data->sender = g_strdup (sender);
  data->charset = g_strdup (charset);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cachet_lab_filer_set_sender_charset_async);
  g_task_set_task_data (task, data, (GDestroyNotify) sender_charset_data_free);
  g_task_run_in_thread (task, set_sender_charset_thread);
}

gboolean
cachet_lab_filer_set_sender_charset_finish (CachetLabFiler  *self,
                                            GAsyncResult    *result,
                                            GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * cachet_lab_filer_dup_sender_charsets:
 *
 * Returns: (transfer full) (nullable) (element-type utf8 utf8): each sender
 *   with an override, in lower case, to its charset; %NULL on error
 */
GHashTable *
cachet_lab_filer_dup_sender_charsets (CachetLabFiler  *self,
                                      GError         **error)
{
  g_autoptr(GHashTable) charsets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(sqlite3_stmt) query = NULL;
  g_autoptr(GMutexLocker) locker = NULL;
  int rc;

  g_return_val_if_fail (CACHET_IS_LAB_FILER (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  if ((query = prepare (self, "SELECT sender, charset FROM sender_charsets", error)) == NULL)
    return NULL;
  while ((rc = sqlite3_step (query)) == SQLITE_ROW)
    g_hash_table_replace (charsets, g_strdup ((const char *) sqlite3_column_text (query, 0)),
                          g_strdup ((const char *) sqlite3_column_text (query, 1)));
  if (rc != SQLITE_DONE)
    {
      set_journal_error (error, self->db);
      return NULL;
    }
  return g_steal_pointer (&charsets);
}

/**
 * cachet_lab_filer_lookup_entry_charset:
 * @entry_id: a journal entry
 * @charset: (out) (transfer full) (nullable): the override for the sender
 *   of the entry's file, %NULL when there is none
 *
 * Tells how to read an entry's original file again: as it was read at
 * import, or as the user asked since.
 *
 * Returns: %FALSE if the journal cannot be read
 */
gboolean
cachet_lab_filer_lookup_entry_charset (CachetLabFiler  *self,
                                       gint64           entry_id,
                                       char           **charset,
                                       GError         **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (CACHET_IS_LAB_FILER (self), FALSE);
  g_return_val_if_fail (charset != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  *charset = query_text (self, "SELECT c.charset FROM reports r JOIN files f ON r.file_id = f.id"
                               " JOIN sender_charsets c ON c.sender = f.sender WHERE r.id = ?1",
                         NULL, entry_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  const char      *file_name;
  const char      *format;
  const char      *hash;
  const char      *stem;
  const char      *extension;
  const char      *sender;
  gint64           file_id;
  gint64           imported_at;
  CachetLabLayout  layout;
} ImportFile;

static CachetLabJournalEntry *
record_report (CachetLabFiler                     *self,
               const ImportFile                   *file,
               const CachetLabEntryFields         *fields,
               const char                         *business_key,
               const char                         *digest,
               const CachetLabPatientRecordFields *identity,
               gint64                              patient_id,
               gint64                              candidate_id,
               GError                            **error)
{
  g_autoptr(sqlite3_stmt) insert = prepare (self,
    "INSERT INTO reports (file_id, business_key, results_digest, status, patient_id, candidate_id,"
    " related_id, patient_name, lab, report_id, report_date, folder, original_path, reason, report_files,"
    " patient_family, patient_given, patient_birth_date, patient_sex, patient_ins, patient_match_key)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
    error);
  g_autofree char *files = fields->files != NULL ? g_strjoinv ("\n", (GStrv) fields->files) : NULL;
  CachetLabEntryFields recorded = *fields;

  if (insert == NULL)
    return NULL;
  sqlite3_bind_int64 (insert, 1, file->file_id);
  bind_text (insert, 2, business_key);
  bind_text (insert, 3, digest);
  bind_text (insert, 4, cachet_lab_entry_status_to_string (fields->status));
  bind_id (insert, 5, patient_id);
  bind_id (insert, 6, candidate_id);
  bind_id (insert, 7, fields->related_id);
  bind_text (insert, 8, fields->patient);
  bind_text (insert, 9, fields->lab);
  bind_text (insert, 10, fields->report_id);
  bind_text (insert, 11, fields->date);
  bind_text (insert, 12, fields->folder);
  bind_text (insert, 13, fields->original_path);
  bind_text (insert, 14, fields->reason);
  bind_text (insert, 15, files);
  if (identity != NULL)
    {
      char sex[] = { identity->sex, '\0' };

      bind_text (insert, 16, identity->family_name);
      bind_text (insert, 17, identity->given_names);
      bind_text (insert, 18, identity->birth_date);
      bind_text (insert, 19, sex);
      bind_text (insert, 20, identity->ins);
      bind_text (insert, 21, identity->match_key);
    }
  if (sqlite3_step (insert) != SQLITE_DONE)
    {
      set_journal_error (error, self->db);
      return NULL;
    }
  recorded.id = sqlite3_last_insert_rowid (self->db);
  recorded.candidate_id = candidate_id;
  recorded.file_name = file->file_name;
  recorded.format = file->format;
  recorded.sender = file->sender;
  recorded.imported_at = file->imported_at;
  return cachet_lab_journal_entry_new (&recorded);
}

static gint64
record_file (CachetLabFiler  *self,
             const ImportFile *file,
             gsize            size,
             GError         **error)
{
  g_autoptr(sqlite3_stmt) insert = prepare (self,
    "INSERT INTO files (sha256, name, size, format, imported_at, sender) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    error);

  if (insert == NULL)
    return -1;
  bind_text (insert, 1, file->hash);
  bind_text (insert, 2, file->file_name);
  sqlite3_bind_int64 (insert, 3, (sqlite3_int64) size);
  bind_text (insert, 4, file->format);
  sqlite3_bind_int64 (insert, 5, file->imported_at);
  bind_text (insert, 6, file->sender);
  if (sqlite3_step (insert) != SQLITE_DONE)
    {
      set_journal_error (error, self->db);
      return -1;
    }
  return sqlite3_last_insert_rowid (self->db);
}

static GPtrArray *
file_unrecognised (CachetLabFiler  *self,
                   ImportFile      *file,
                   GBytes          *bytes,
                   const GError    *reason,
                   GError         **error)
{
  g_autofree char *dir = g_build_filename (self->archive_dir, UNRECOGNISED_DIR, NULL);
  g_autofree char *path = NULL;
  g_autofree char *reason_stem = NULL;
  g_autofree char *reason_path = NULL;
  g_autofree char *reason_text = g_strdup_printf ("%s\n", reason->message);
  g_autoptr(GBytes) reason_bytes = g_bytes_new (reason_text, strlen (reason_text));
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  CachetLabEntryFields fields = {
    .status = CACHET_LAB_ENTRY_STATUS_UNRECOGNISED,
    .folder = dir,
    .reason = reason->message,
  };
  CachetLabJournalEntry *entry;

  if ((path = write_unique (self, dir, file->stem, file->extension, bytes, error)) == NULL)
    return NULL;
  reason_stem = g_path_get_basename (path);
  if ((reason_path = write_unique (self, dir, reason_stem, "reason.txt", reason_bytes, error)) == NULL)
    return NULL;
  fields.original_path = path;
  if ((file->file_id = record_file (self, file, g_bytes_get_size (bytes), error)) < 0)
    return NULL;
  if ((entry = record_report (self, file, &fields, NULL, NULL, NULL, 0, 0, error)) == NULL)
    return NULL;
  g_ptr_array_add (entries, entry);
  return g_steal_pointer (&entries);
}

static gboolean
is_reserved_folder (const char *name)
{
  static const char *const reserved[] = { ORIGINALS_DIR, UNCONFIRMED_DIR, UNRECOGNISED_DIR };

  for (gsize i = 0; i < G_N_ELEMENTS (reserved); i++)
    {
      if (g_ascii_strcasecmp (name, reserved[i]) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Whether a patient, or results filed on the user's word before patients
 * had folders of their own, already use the folder @name. */
static int
folder_is_taken (CachetLabFiler  *self,
                 const char      *name,
                 GError         **error)
{
  g_autofree char *path = g_build_filename (self->archive_dir, name, NULL);
  g_autoptr(sqlite3_stmt) query = prepare (self,
    "SELECT EXISTS (SELECT 1 FROM patients WHERE folder = ?1)"
    " OR EXISTS (SELECT 1 FROM reports WHERE folder = ?2 AND patient_id IS NULL AND status IN ('filed', 'replaced'))",
    error);

  if (query == NULL)
    return -1;
  if (is_reserved_folder (name))
    return 1;
  bind_text (query, 1, name);
  bind_text (query, 2, path);
  if (sqlite3_step (query) != SQLITE_ROW)
    {
      set_journal_error (error, self->db);
      return -1;
    }
  return sqlite3_column_int (query, 0) != 0;
}

/* Two people may share a name and a date of birth: a new patient never
 * gets a folder another one has, `NOM Prénom (date) (2)` if need be. */
static char *
allocate_folder (CachetLabFiler  *self,
                 const char      *display_name,
                 GError         **error)
{
  g_autofree char *base = safe_component (display_name, _("Unknown patient"));

  for (guint attempt = 1; attempt <= MAX_SUFFIX; attempt++)
    {
      g_autofree char *name = attempt == 1 ? g_strdup (base) : g_strdup_printf ("%s (%u)", base, attempt);
      int taken = folder_is_taken (self, name, error);

      if (taken < 0)
        return NULL;
      if (!taken)
        return g_steal_pointer (&name);
    }
  g_set_error (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_TOO_LARGE,
               _("Too many patients named “%s”; check the patients of the lab import journal"), base);
  return NULL;
}

/* Records a patient with a folder of its own; returns its id, -1 on error. */
static gint64
insert_patient (CachetLabFiler                     *self,
                const CachetLabPatientRecordFields *identity,
                GError                            **error)
{
  g_autofree char *folder = allocate_folder (self, identity->display_name, error);
  g_autoptr(sqlite3_stmt) insert = NULL;
  char sex[] = { identity->sex, '\0' };

  if (folder == NULL)
    return -1;
  insert = prepare (self, "INSERT INTO patients (ins, ins_qualified, match_key, display_name, family_name,"
                          " given_names, birth_date, sex, folder) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    error);
  if (insert == NULL)
    return -1;
  bind_text (insert, 1, identity->ins);
  sqlite3_bind_int (insert, 2, identity->ins != NULL && identity->ins_qualified);
  bind_text (insert, 3, identity->match_key != NULL ? identity->match_key : "");
  bind_text (insert, 4, identity->display_name != NULL ? identity->display_name : "");
  bind_text (insert, 5, identity->family_name);
  bind_text (insert, 6, identity->given_names);
  bind_text (insert, 7, identity->birth_date);
  bind_text (insert, 8, sex);
  bind_text (insert, 9, folder);
  if (sqlite3_step (insert) != SQLITE_DONE)
    {
      set_journal_error (error, self->db);
      return -1;
    }
  return sqlite3_last_insert_rowid (self->db);
}

/* What @patient says of itself, as a patient row would keep it; the
 * strings stay @patient's but for @display and @match_key. */
static void
identity_of (CachetLabPatient             *patient,
             CachetLabPatientRecordFields *identity,
             char                        **display,
             char                        **match_key)
{
  *display = cachet_lab_patient_dup_display_name (patient);
  *match_key = cachet_lab_patient_dup_match_key (patient);
  *identity = (CachetLabPatientRecordFields) {
    .display_name = *display,
    .family_name = cachet_lab_patient_get_family_name (patient),
    .given_names = cachet_lab_patient_get_given_names (patient),
    .birth_date = cachet_lab_patient_get_birth_date (patient),
    .sex = cachet_lab_patient_get_sex (patient),
    .ins = cachet_lab_patient_get_ins (patient),
    .ins_qualified = cachet_lab_patient_get_ins_qualified (patient),
    .match_key = *match_key,
  };
}

/* A qualified INS names one patient for certain; anything weaker gives at
 * most a candidate for the user to confirm. */
static gboolean
match_patient (CachetLabFiler                     *self,
               const CachetLabPatientRecordFields *identity,
               gint64                             *patient_id,
               gint64                             *candidate_id,
               GError                            **error)
{
  *patient_id = 0;
  *candidate_id = 0;
  if (!identity->ins_qualified)
    {
      /* A patient filed on a qualified INS first: the surest of namesakes. */
      *candidate_id = query_id (self, "SELECT id FROM patients WHERE match_key = ?1"
                                      " ORDER BY ins_qualified DESC, id LIMIT 1",
                                identity->match_key, error);
      return *candidate_id >= 0;
    }

  if ((*patient_id = query_id (self, "SELECT id FROM patients WHERE ins = ?1 AND ins_qualified = 1",
                               identity->ins, error)) != 0)
    return *patient_id > 0;
  *patient_id = insert_patient (self, identity, error);
  return *patient_id > 0;
}

/* The full path of the folder of patient @patient_id. */
static char *
patient_folder (CachetLabFiler  *self,
                gint64           patient_id,
                GError         **error)
{
  GError *local_error = NULL;
  g_autofree char *name = query_text (self, "SELECT folder FROM patients WHERE id = ?1", NULL, patient_id,
                                      &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (name == NULL)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, patient_id);

      g_set_error (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_JOURNAL,
                   _("Patient %s is not in the lab import journal; choose another"), id);
      return NULL;
    }
  return g_build_filename (self->archive_dir, name, NULL);
}

/* The latest recorded version of the same report, and its results. */
static gint64
find_previous_version (CachetLabFiler   *self,
                       const char       *business_key,
                       char            **digest,
                       GError          **error)
{
  g_autoptr(sqlite3_stmt) query = prepare (self,
    "SELECT id, results_digest FROM reports WHERE business_key = ?1"
    " AND status IN ('filed', 'pending', 'replaced') ORDER BY id DESC LIMIT 1", error);
  int rc;

  *digest = NULL;
  if (query == NULL)
    return -1;
  bind_text (query, 1, business_key);
  rc = sqlite3_step (query);
  if (rc == SQLITE_ROW)
    {
      *digest = g_strdup ((const char *) sqlite3_column_text (query, 1));
      return sqlite3_column_int64 (query, 0);
    }
  if (rc != SQLITE_DONE)
    {
      set_journal_error (error, self->db);
      return -1;
    }
  return 0;
}

/* Where the files of a report dated @date go in the patient's @folder.
 * Undated reports stay in @folder itself: no year to sort them by. */
static char *
report_dir_for (CachetLabLayout  layout,
                const char      *folder,
                const char      *date)
{
  if ((layout & CACHET_LAB_LAYOUT_BY_YEAR) != 0 && date != NULL && strlen (date) >= 4
      && g_ascii_isdigit (date[0]) && g_ascii_isdigit (date[1])
      && g_ascii_isdigit (date[2]) && g_ascii_isdigit (date[3]))
    {
      g_autofree char *year = g_strndup (date, 4);

      return g_build_filename (folder, year, NULL);
    }
  return g_strdup (folder);
}

/* Writes the report's page, its PDF and (for a file of one report) the
 * original into @folder, or its year's sub-folder. Returns the paths
 * written, the page first when there is one. */
static GStrv
write_report_files (CachetLabFiler   *self,
                    CachetLabReport  *report,
                    const ImportFile *file,
                    gboolean          single_report,
                    const char       *folder,
                    GError          **error)
{
  const char *sampling = cachet_lab_report_get_sampling_date (report);
  const char *date = sampling != NULL ? sampling : cachet_lab_report_get_report_date (report);
  g_autofree char *dir = report_dir_for (file->layout, folder, date);
  g_autofree char *day = date != NULL ? g_strndup (date, 10) : g_strdup ("undated");
  g_autofree char *lab = safe_component (cachet_lab_report_get_lab (report), "lab");
  g_autofree char *short_hash = g_strndup (file->hash, HASH_PREFIX_CHARS);
  g_autofree char *id = safe_component (cachet_lab_report_get_report_id (report), short_hash);
  g_autofree char *stem = g_strdup_printf ("%s_%s_%s", day, lab, id);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  GBytes *pdf = cachet_lab_report_get_pdf (report);
  char *path;

  if (pdf == NULL || (file->layout & CACHET_LAB_LAYOUT_HTML_ONLY_WITHOUT_PDF) == 0)
    {
      g_autofree char *html = cachet_lab_render_html (report);
      g_autoptr(GBytes) html_bytes = g_bytes_new (html, strlen (html));

      if ((path = write_unique (self, dir, stem, "html", html_bytes, error)) == NULL)
        return NULL;
      g_ptr_array_add (paths, path);
    }
  if (pdf != NULL)
    {
      if ((path = write_unique (self, dir, stem, "pdf", pdf, error)) == NULL)
        return NULL;
      g_ptr_array_add (paths, path);
    }
  /* A file with several patients is not copied into each patient's folder:
   * it would show one patient's results in another's. */
  if (single_report)
    {
      if ((path = write_unique (self, dir, stem, file->extension, cachet_lab_report_get_original (report), error)) == NULL)
        return NULL;
      g_ptr_array_add (paths, path);
    }
  g_ptr_array_add (paths, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&paths), FALSE);
}

/* The patient's folder, or one in the unconfirmed folder for a report
 * waiting for the user, named as the report names the patient. */
static char *
folder_for (CachetLabFiler                     *self,
            const CachetLabPatientRecordFields *identity,
            gint64                              patient_id,
            GError                            **error)
{
  g_autofree char *name = NULL;

  if (patient_id > 0)
    return patient_folder (self, patient_id, error);
  name = safe_component (identity->display_name, _("Unknown patient"));
  return g_build_filename (self->archive_dir, UNCONFIRMED_DIR, name, NULL);
}

static CachetLabJournalEntry *
file_report (CachetLabFiler    *self,
             ImportFile        *file,
             CachetLabReport   *report,
             gboolean           single_report,
             const char        *original_path,
             GError           **error)
{
  CachetLabPatient *patient = cachet_lab_report_get_patient (report);
  g_autofree char *business_key = cachet_lab_report_dup_business_key (report);
  g_autofree char *digest = cachet_lab_report_dup_results_digest (report);
  g_autofree char *previous_digest = NULL;
  g_autofree char *display = NULL;
  g_autofree char *match_key = NULL;
  g_autofree char *folder = NULL;
  const char *sampling = cachet_lab_report_get_sampling_date (report);
  CachetLabPatientRecordFields identity;
  CachetLabEntryFields fields = {
    .lab = cachet_lab_report_get_lab (report),
    .report_id = cachet_lab_report_get_report_id (report),
    .date = sampling != NULL ? sampling : cachet_lab_report_get_report_date (report),
    .original_path = original_path,
  };
  g_auto(GStrv) files = NULL;
  gint64 previous;
  gint64 patient_id;
  gint64 candidate_id;

  identity_of (patient, &identity, &display, &match_key);
  fields.patient = display;
  if ((previous = find_previous_version (self, business_key, &previous_digest, error)) < 0)
    return NULL;
  if (previous > 0 && g_strcmp0 (previous_digest, digest) == 0)
    {
      fields.status = CACHET_LAB_ENTRY_STATUS_DUPLICATE;
      fields.related_id = previous;
      return record_report (self, file, &fields, business_key, digest, NULL, 0, 0, error);
    }
  /* A correction names the report it replaces; a partial report completed
   * later only shares the business key. */
  if (previous == 0 && cachet_lab_report_get_replaces (report) != NULL
      && (previous = query_id (self, "SELECT id FROM reports WHERE report_id = ?1 AND status IN ('filed', 'pending')"
                                     " ORDER BY id DESC LIMIT 1",
                               cachet_lab_report_get_replaces (report), error)) < 0)
    return NULL;
  fields.related_id = previous;

  if (!match_patient (self, &identity, &patient_id, &candidate_id, error))
    return NULL;
  fields.status = patient_id > 0 ? CACHET_LAB_ENTRY_STATUS_FILED : CACHET_LAB_ENTRY_STATUS_PENDING;
  if ((folder = folder_for (self, &identity, patient_id, error)) == NULL)
    return NULL;
  fields.folder = folder;
  if ((files = write_report_files (self, report, file, single_report, folder, error)) == NULL)
    return NULL;
  fields.files = (const char * const *) files;

  if (previous > 0)
    {
      g_autoptr(sqlite3_stmt) update = prepare (self, "UPDATE reports SET status = 'replaced' WHERE id = ?1", error);

      if (update == NULL)
        return NULL;
      sqlite3_bind_int64 (update, 1, previous);
      if (sqlite3_step (update) != SQLITE_DONE)
        {
          set_journal_error (error, self->db);
          return NULL;
        }
    }
  return record_report (self, file, &fields, business_key, digest, &identity, patient_id, candidate_id, error);
}

static char *
inbox_dir_for (CachetLabFiler   *self,
               const ImportFile *file)
{
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *day = NULL;

  if ((file->layout & CACHET_LAB_LAYOUT_INBOX_BY_DAY) == 0)
    return g_strdup (self->inbox_dir);
  time = g_date_time_new_from_unix_local (file->imported_at);
  day = g_date_time_format (time, "%Y-%m-%d");
  return g_build_filename (self->inbox_dir, day, NULL);
}

static GPtrArray *
import_parsed (CachetLabFiler  *self,
               ImportFile      *file,
               GBytes          *bytes,
               GPtrArray       *reports,
               GBytes          *pdf,
               GError         **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *originals = g_build_filename (self->archive_dir, ORIGINALS_DIR, NULL);
  g_autofree char *original_path = NULL;
  gboolean any_new = FALSE;

  if ((original_path = write_unique (self, originals, file->stem, file->extension, bytes, error)) == NULL)
    return NULL;
  if ((file->file_id = record_file (self, file, g_bytes_get_size (bytes), error)) < 0)
    return NULL;

  for (guint i = 0; i < reports->len; i++)
    {
      CachetLabReport *report = g_ptr_array_index (reports, i);
      CachetLabJournalEntry *entry;

      if (pdf != NULL && cachet_lab_report_get_pdf (report) == NULL)
        cachet_lab_report_set_pdf (report, pdf);
      entry = file_report (self, file, report, reports->len == 1, original_path, error);

      if (entry == NULL)
        return NULL;
      any_new = any_new || cachet_lab_journal_entry_get_status (entry) != CACHET_LAB_ENTRY_STATUS_DUPLICATE;
      g_ptr_array_add (entries, entry);
    }

  /* The practice software gets each new file once, as it came. */
  if (any_new && self->inbox_dir != NULL)
    {
      g_autofree char *inbox = inbox_dir_for (self, file);
      g_autofree char *inbox_path = write_unique (self, inbox, file->stem, file->extension, bytes, error);

      if (inbox_path == NULL)
        return NULL;
    }
  return g_steal_pointer (&entries);
}

static const char *
extension_for (const char      *file_name,
               CachetLabFormat  format)
{
  const char *dot = file_name != NULL ? strrchr (file_name, '.') : NULL;

  /* HPRIM has many extensions (.hpr, .hpm1, .txt) that the practice
   * software may rely on: keep the sender's when it is a plain one. */
  if (dot != NULL && dot[1] != '\0' && strlen (dot + 1) <= 8)
    {
      for (const char *p = dot + 1; *p != '\0'; p++)
        {
          if (!g_ascii_isalnum (*p))
            return cachet_lab_format_get_extension (format);
        }
      return dot + 1;
    }
  return cachet_lab_format_get_extension (format);
}

static GPtrArray *
import_locked (CachetLabFiler  *self,
               GBytes          *bytes,
               const char      *file_name,
               const char      *sender,
               GBytes          *pdf,
               GError         **error)
{
  g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_autofree char *base = NULL;
  g_autofree char *dotted_extension = NULL;
  g_autofree char *stem_name = NULL;
  g_autofree char *stem = NULL;
  g_autofree char *lower_sender = sender != NULL && *sender != '\0' ? g_ascii_strdown (sender, -1) : NULL;
  g_autofree char *charset = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GPtrArray) reports = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  CachetLabFormat format = cachet_lab_detect_format (bytes, file_name);
  ImportFile file = {
    .file_name = file_name != NULL ? file_name : "",
    .format = cachet_lab_format_to_string (format),
    .hash = hash,
    .extension = extension_for (file_name, format),
    .sender = lower_sender,
    .imported_at = g_get_real_time () / G_USEC_PER_SEC,
    .layout = cachet_lab_filer_get_layout (self),
  };
  gint64 known;

  base = file_name != NULL ? g_path_get_basename (file_name) : g_strdup ("");
  dotted_extension = g_strconcat (".", file.extension, NULL);
  if (g_str_has_suffix (base, dotted_extension))
    base[strlen (base) - strlen (dotted_extension)] = '\0';
  stem_name = safe_component (base, "result");
  stem = g_strdup_printf ("%.*s-%s", HASH_PREFIX_CHARS, hash, stem_name);
  file.stem = stem;
  if (lower_sender != NULL)
    {
      GError *lookup_error = NULL;

      charset = query_text (self, "SELECT charset FROM sender_charsets WHERE sender = ?1", lower_sender, 0,
                            &lookup_error);
      if (lookup_error != NULL)
        {
          g_propagate_error (error, lookup_error);
          return NULL;
        }
    }
  reports = cachet_lab_parse (bytes, format, charset, &parse_error);

  /* IMMEDIATE: two imports (two windows, the command line) never decide on
   * the same journal state. */
  if (!execute (self, "BEGIN IMMEDIATE", error))
    return NULL;
  known = query_id (self, "SELECT r.id FROM reports r JOIN files f ON r.file_id = f.id"
                          " WHERE f.sha256 = ?1 ORDER BY r.id LIMIT 1", hash, error);
  if (known > 0)
    {
      CachetLabEntryFields fields = {
        .status = CACHET_LAB_ENTRY_STATUS_DUPLICATE,
        .file_name = file.file_name,
        .format = file.format,
        .sender = file.sender,
        .related_id = known,
        .imported_at = file.imported_at,
      };

      entries = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (entries, cachet_lab_journal_entry_new (&fields));
    }
  else if (known == 0)
    entries = reports != NULL ? import_parsed (self, &file, bytes, reports, pdf, error)
                              : file_unrecognised (self, &file, bytes, parse_error, error);

  if (entries == NULL || !commit_durably (self, error))
    {
      execute (self, "ROLLBACK", NULL);
      return NULL;
    }
  return g_steal_pointer (&entries);
}

/**
 * cachet_lab_filer_import:
 * @bytes: the file, as received
 * @file_name: (nullable): its name (attachment or file), a hint for the
 *   format and part of the filed names
 * @sender: (nullable): who sent it, for the charset override
 * @pdf: (nullable): the PDF that came with the file (in the same message),
 *   filed with each report that embeds none
 *
 * Reads and files one file. Blocking: call from a worker, or use
 * cachet_lab_filer_import_async(). A file that cannot be read is not an
 * error: it is kept in the unrecognised folder with its reason.
 *
 * Returns: (transfer full) (element-type CachetLabJournalEntry): what was
 *   done with each report of the file, or %NULL if filing failed (the
 *   journal is then unchanged)
 */
GPtrArray *
cachet_lab_filer_import (CachetLabFiler  *self,
                         GBytes          *bytes,
                         const char      *file_name,
                         const char      *sender,
                         GBytes          *pdf,
                         GCancellable    *cancellable,
                         GError         **error)
{
  GPtrArray *entries;

  g_return_val_if_fail (CACHET_IS_LAB_FILER (self), NULL);
  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  g_mutex_lock (&self->lock);
  entries = import_locked (self, bytes, file_name, sender, pdf, error);
  g_mutex_unlock (&self->lock);
  return entries;
}

typedef struct
{
  GBytes *bytes;
  char   *file_name;
  char   *sender;
  GBytes *pdf;
} ImportData;

static void
import_data_free (ImportData *data)
{
  g_bytes_unref (data->bytes);
  g_clear_pointer (&data->pdf, g_bytes_unref);
  g_free (data->file_name);
  g_free (data->sender);
  g_free (data);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportData *data = task_data;
  GError *error = NULL;
  GPtrArray *entries = cachet_lab_filer_import (source_object, data->bytes, data->file_name, data->sender,
                                                data->pdf, cancellable, &error);

  if (entries == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, entries, (GDestroyNotify) g_ptr_array_unref);
}

void
cachet_lab_filer_import_async (CachetLabFiler      *self,
                               GBytes              *bytes,
                               const char          *file_name,
                               const char          *sender,
                               GBytes              *pdf,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportData *data;

  g_return_if_fail (CACHET_IS_LAB_FILER (self));
  g_return_if_fail (bytes != NULL);

  data = g_new0 (ImportData, 1);
  data->bytes = g_bytes_ref (bytes);
  data->file_name = g_strdup (file_name);
  data->sender = g_strdup (sender);
  data->pdf = pdf != NULL ? g_bytes_ref (pdf) : NULL;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cachet_lab_filer_import_async);
  g_task_set_task_data (task, data, (GDestroyNotify) import_data_free);
  g_task_run_in_thread (task, import_thread);
}

/**
 * cachet_lab_filer_import_finish:
 *
 * Returns: (transfer full) (element-type CachetLabJournalEntry): see
 *   cachet_lab_filer_import()
 */
GPtrArray *
cachet_lab_filer_import_finish (CachetLabFiler  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Makes a new patient of the identity the pending report @query gives. */
static gint64
insert_patient_of_report (CachetLabFiler  *self,
                          sqlite3_stmt    *query,
                          GError         **error)
{
  const char *sex = (const char *) sqlite3_column_text (query, 7);
  CachetLabPatientRecordFields identity = {
    .display_name = (const char *) sqlite3_column_text (query, 1),
    .family_name = (const char *) sqlite3_column_text (query, 4),
    .given_names = (const char *) sqlite3_column_text (query, 5),
    .birth_date = (const char *) sqlite3_column_text (query, 6),
    .sex = sex != NULL ? sex[0] : 'U',
    .ins = (const char *) sqlite3_column_text (query, 8),
    /* Pending means not qualified: the user's word does not qualify it. */
    .ins_qualified = FALSE,
    .match_key = (const char *) sqlite3_column_text (query, 9),
  };

  return insert_patient (self, &identity, error);
}

/* Moves the files of a pending report to the patient's folder: copies
 * first, journal next, removals last, so a crash leaves a spare copy,
 * never none. */
static gboolean
confirm_locked (CachetLabFiler  *self,
                gint64           entry_id,
                gint64           patient_id,
                GError         **error)
{
  g_autoptr(sqlite3_stmt) query = prepare (self, "SELECT status, patient_name, report_files, report_date,"
                                                 " patient_family, patient_given, patient_birth_date, patient_sex,"
                                                 " patient_ins, patient_match_key FROM reports WHERE id = ?1", error);
  g_autoptr(sqlite3_stmt) update = NULL;
  g_autoptr(GPtrArray) moved = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) files = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *joined = NULL;

  if (query == NULL)
    return FALSE;
  sqlite3_bind_int64 (query, 1, entry_id);
  if (sqlite3_step (query) != SQLITE_ROW
      || g_strcmp0 ((const char *) sqlite3_column_text (query, 0), "pending") != 0)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, entry_id);

      g_set_error (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_JOURNAL,
                   _("Lab result %s is not waiting for its patient; refresh the list"), id);
      return FALSE;
    }
  files = g_strsplit (sqlite3_column_text (query, 2) != NULL ? (const char *) sqlite3_column_text (query, 2) : "",
                      "\n", -1);
  if (patient_id <= 0 && (patient_id = insert_patient_of_report (self, query, error)) < 0)
    return FALSE;
  if ((folder = patient_folder (self, patient_id, error)) == NULL)
    return FALSE;
  /* Confirming files the report now: the layout of now applies. */
  dir = report_dir_for (cachet_lab_filer_get_layout (self), folder, (const char *) sqlite3_column_text (query, 3));

  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autoptr(GError) read_error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *base = NULL;
      g_autofree char *contents = NULL;
      char *dot;
      char *path;
      gsize size = 0;

      if (*files[i] == '\0')
        continue;
      if (!g_file_get_contents (files[i], &contents, &size, &read_error))
        {
          g_propagate_error (error, g_steal_pointer (&read_error));
          return FALSE;
        }
      bytes = g_bytes_new_take (g_steal_pointer (&contents), size);
      base = g_path_get_basename (files[i]);
      dot = strrchr (base, '.');
      if (dot != NULL)
        *dot = '\0';
      if ((path = write_unique (self, dir, base, dot != NULL ? dot + 1 : "bin", bytes, error)) == NULL)
        return FALSE;
      g_ptr_array_add (moved, path);
    }

  g_ptr_array_add (moved, NULL);
  joined = g_strjoinv ("\n", (GStrv) moved->pdata);
  update = prepare (self, "UPDATE reports SET status = 'filed', patient_id = ?1, folder = ?2, report_files = ?3"
                          " WHERE id = ?4", error);
  if (update == NULL)
    return FALSE;
  bind_id (update, 1, patient_id);
  bind_text (update, 2, folder);
  bind_text (update, 3, joined);
  sqlite3_bind_int64 (update, 4, entry_id);
  if (sqlite3_step (update) != SQLITE_DONE)
    return set_journal_error (error, self->db);
  if (!commit_durably (self, error))
    return FALSE;

  for (guint i = 0; files[i] != NULL; i++)
    {
      if (*files[i] != '\0' && !g_strv_contains ((const char * const *) moved->pdata, files[i]))
        g_unlink (files[i]);
    }
  return TRUE;
}

/**
 * cachet_lab_filer_confirm_patient:
 * @entry_id: a report waiting for its patient
 * @patient_id: the patient the user chose (such as the entry's candidate,
 *   or one of cachet_lab_filer_list_patients()), or 0 for a new patient,
 *   as the report names it
 *
 * Files a pending report in the patient's folder once the user has said
 * who the patient is. A new patient gets a folder of its own even when
 * another patient has the same name and date of birth: namesakes are never
 * merged. Blocking: call from a worker, or use
 * cachet_lab_filer_confirm_patient_async().
 *
 * Returns: whether the report is filed
 */
gboolean
cachet_lab_filer_confirm_patient (CachetLabFiler  *self,
                                  gint64           entry_id,
                                  gint64           patient_id,
                                  GCancellable    *cancellable,
                                  GError         **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (CACHET_IS_LAB_FILER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  locker = g_mutex_locker_new (&self->lock);
  if (!execute (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!confirm_locked (self, entry_id, patient_id, error))
    {
      execute (self, "ROLLBACK", NULL);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  gint64 entry_id;
  gint64 patient_id;
} ConfirmData;

static void
confirm_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ConfirmData *data = task_data;
  GError *error = NULL;

  if (cachet_lab_filer_confirm_patient (source_object, data->entry_id, data->patient_id, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
cachet_lab_filer_confirm_patient_async (CachetLabFiler      *self,
                                        gint64               entry_id,
                                        gint64               patient_id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ConfirmData *data;

  g_return_if_fail (CACHET_IS_LAB_FILER (self));

  data = g_new0 (ConfirmData, 1);
  data->entry_id = entry_id;
  data->patient_id = patient_id;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cachet_lab_filer_confirm_patient_async);
  g_task_set_task_data (task, data, g_free);
  g_task_run_in_thread (task, confirm_thread);
}

gboolean
cachet_lab_filer_confirm_patient_finish (CachetLabFiler  *self,
                                         GAsyncResult    *result,
                                         GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * cachet_lab_filer_list_entries:
 *
 * Returns: (transfer full) (nullable): the journal, oldest first, as a
 *   list of #CachetLabJournalEntry
 */
GListModel *
cachet_lab_filer_list_entries (CachetLabFiler  *self,
                               GError         **error)
{
  g_autoptr(GListStore) store = g_list_store_new (CACHET_TYPE_LAB_JOURNAL_ENTRY);
  g_autoptr(sqlite3_stmt) query = NULL;
  g_autoptr(GMutexLocker) locker = NULL;
  int rc;

  g_return_val_if_fail (CACHET_IS_LAB_FILER (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  query = prepare (self,
                   "SELECT r.id, r.status, f.name, f.format, r.patient_name, r.lab, r.report_id, r.report_date,"
                   " r.folder, r.original_path, r.reason, r.related_id, f.imported_at, r.candidate_id, r.report_files,"
                   " f.sender FROM reports r JOIN files f ON r.file_id = f.id ORDER BY r.id", error);
  if (query == NULL)
    return NULL;
  while ((rc = sqlite3_step (query)) == SQLITE_ROW)
    {
      g_autoptr(CachetLabJournalEntry) entry = NULL;
      const char *joined_files = (const char *) sqlite3_column_text (query, 14);
      g_auto(GStrv) files = joined_files != NULL ? g_strsplit (joined_files, "\n", -1) : NULL;
      CachetLabEntryFields fields = {
        .id = sqlite3_column_int64 (query, 0),
        .file_name = (const char *) sqlite3_column_text (query, 2),
        .format = (const char *) sqlite3_column_text (query, 3),
        .sender = (const char *) sqlite3_column_text (query, 15),
        .patient = (const char *) sqlite3_column_text (query, 4),
        .lab = (const char *) sqlite3_column_text (query, 5),
        .report_id = (const char *) sqlite3_column_text (query, 6),
        .date = (const char *) sqlite3_column_text (query, 7),
        .folder = (const char *) sqlite3_column_text (query, 8),
        .original_path = (const char *) sqlite3_column_text (query, 9),
        .reason = (const char *) sqlite3_column_text (query, 10),
        .related_id = sqlite3_column_int64 (query, 11),
        .imported_at = sqlite3_column_int64 (query, 12),
        .candidate_id = sqlite3_column_int64 (query, 13),
        .files = (const char * const *) files,
      };

      if (!cachet_lab_entry_status_from_string ((const char *) sqlite3_column_text (query, 1), &fields.status))
        {
          g_set_error_literal (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_JOURNAL,
                               _("The lab import journal holds an unknown status; it may come from a newer Cachet"));
          return NULL;
        }
      entry = cachet_lab_journal_entry_new (&fields);
      g_list_store_append (store, entry);
    }
  if (rc != SQLITE_DONE)
    {
      set_journal_error (error, self->db);
      return NULL;
    }
  return G_LIST_MODEL (g_steal_pointer (&store));
}

/**
 * cachet_lab_filer_list_patients:
 *
 * The patients results were filed for, to choose from when a report's
 * identity is not certain. Blocking: call from a worker, or use
 * cachet_lab_filer_list_patients_async().
 *
 * Returns: (transfer full) (nullable): the patients, by name, as a list
 *   of #CachetLabPatientRecord
 */
GListModel *
cachet_lab_filer_list_patients (CachetLabFiler  *self,
                                GCancellable    *cancellable,
                                GError         **error)
{
  g_autoptr(GListStore) store = g_list_store_new (CACHET_TYPE_LAB_PATIENT_RECORD);
  g_autoptr(sqlite3_stmt) query = NULL;
  g_autoptr(GMutexLocker) locker = NULL;
  int rc;

  g_return_val_if_fail (CACHET_IS_LAB_FILER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  locker = g_mutex_locker_new (&self->lock);
  query = prepare (self,
                   "SELECT p.id, p.display_name, p.family_name, p.given_names, p.birth_date, p.sex, p.ins,"
                   " p.ins_qualified, p.match_key, p.folder,"
                   " (SELECT COUNT (*) FROM reports r WHERE r.patient_id = p.id AND r.status IN ('filed', 'replaced'))"
                   " FROM patients p ORDER BY p.display_name, p.id", error);
  if (query == NULL)
    return NULL;
  while ((rc = sqlite3_step (query)) == SQLITE_ROW)
    {
      g_autoptr(CachetLabPatientRecord) record = NULL;
      g_autofree char *folder = g_build_filename (self->archive_dir, (const char *) sqlite3_column_text (query, 9),
                                                  NULL);
      const char *sex = (const char *) sqlite3_column_text (query, 5);
      CachetLabPatientRecordFields fields = {
        .id = sqlite3_column_int64 (query, 0),
        .display_name = (const char *) sqlite3_column_text (query, 1),
        .family_name = (const char *) sqlite3_column_text (query, 2),
        .given_names = (const char *) sqlite3_column_text (query, 3),
        .birth_date = (const char *) sqlite3_column_text (query, 4),
        .sex = sex != NULL ? sex[0] : 'U',
        .ins = (const char *) sqlite3_column_text (query, 6),
        .ins_qualified = sqlite3_column_int (query, 7) != 0,
        .match_key = (const char *) sqlite3_column_text (query, 8),
        .folder = folder,
        .n_reports = (guint) sqlite3_column_int64 (query, 10),
      };

      record = cachet_lab_patient_record_new (&fields);
      g_list_store_append (store, record);
    }
  if (rc != SQLITE_DONE)
    {
      set_journal_error (error, self->db);
      return NULL;
    }
  return G_LIST_MODEL (g_steal_pointer (&store));
}

static void
list_patients_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  GError *error = NULL;
  GListModel *patients = cachet_lab_filer_list_patients (source_object, cancellable, &error);

  if (patients == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, patients, g_object_unref);
}

/**
 * cachet_lab_filer_list_patients_async:
 *
 * Lists the patients in a worker: an import holding the journal makes
 * cachet_lab_filer_list_patients() wait for it.
 */
void
cachet_lab_filer_list_patients_async (CachetLabFiler      *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CACHET_IS_LAB_FILER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cachet_lab_filer_list_patients_async);
  g_task_run_in_thread (task, list_patients_thread);
}

/**
 * cachet_lab_filer_list_patients_finish:
 *
 * Returns: (transfer full) (nullable): see cachet_lab_filer_list_patients()
 */
GListModel *
cachet_lab_filer_list_patients_finish (CachetLabFiler  *self,
                                       GAsyncResult    *result,
                                       GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
