/* test-store.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "cachet-maildir.h"
#include "cachet-paths.h"
#include "cachet-store.h"
#include "cachet-test-utils.h"
#include "store-test-utils.h"

/* Each test uses its own account, under the data directory that
 * cachet_test_init() made for this program. */

#define UIDVALIDITY 1700000000u

static const char *data_files[] = {
  "plain-utf8.eml", "subject-latin1.eml", "alternative.eml", "html-only.eml",
  "attachment-nonascii.eml", "smime-signed.eml", "smime-enveloped.eml", "mss-headers.eml",
  "forwarded.eml", "no-headers.eml", "two-from.eml", "windows-1252-undeclared.eml",
};

static GBytes *
load_data_file (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "store", "data", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static CachetMessageInfo *
add_file (CachetStore *store,
          const char  *folder,
          guint32      uid,
          const char  *file,
          gint64       internal_date)
{
  g_autoptr(GBytes) raw = load_data_file (file);
  g_autoptr(GError) error = NULL;
  CachetMessageInfo *info;

  info = cachet_store_add_message (store, folder, UIDVALIDITY, uid, raw, CACHET_MESSAGE_FLAG_NONE,
                                   NULL, internal_date, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);
  return info;
}

static char *
index_path (CachetStore *store)
{
  return g_build_filename (cachet_store_get_account_dir (store), "index.sqlite", NULL);
}

/* Every row a query returns, as text: what two states of the index are
 * compared by. */
static char *
query_text (const char *path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *statement = NULL;
  GString *text = g_string_new (NULL);

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &statement, NULL), ==, SQLITE_OK);
  while (sqlite3_step (statement) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (statement); i++)
        {
          const char *value = (const char *) sqlite3_column_text (statement, i);

          g_string_append_printf (text, "%s|", value != NULL ? value : "<null>");
        }
      g_string_append_c (text, '\n');
    }
  sqlite3_finalize (statement);
  sqlite3_close (db);

  return g_string_free (text, FALSE);
}

static void
exec_sql (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static guint
count_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint count = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    count++;
  return count;
}

static char *
folder_cur_dir (CachetStore *store,
                const char  *folder)
{
  g_autofree char *dirname = cachet_maildir_encode_folder_name (folder);

  return g_build_filename (cachet_store_get_account_dir (store), "folders", dirname, "cur", NULL);
}

static void
test_migrate (void)
{
  g_autoptr(CachetStore) store = store_test_open ("migrate");
  g_autofree char *path = index_path (store);
  g_autofree char *version = NULL;
  g_autofree char *journal = NULL;
  g_autofree char *tables = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CachetStore) too_new = NULL;

  version = query_text (path, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, "3|\n");
  journal = query_text (path, "PRAGMA journal_mode");
  g_assert_cmpstr (journal, ==, "wal|\n");
  tables = query_text (path, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name IN "
                             "('folders', 'messages', 'messages_fts', 'pending_actions') "
                             "ORDER BY name");
  g_assert_cmpstr (tables, ==, "folders|\nmessages|\nmessages_fts|\npending_actions|\n");

  /* Opening again applies nothing. */
  g_clear_object (&store);
  store = store_test_open ("migrate");
  g_clear_object (&store);

  /* An index from a newer Cachet is left alone. */
  exec_sql (path, "PRAGMA user_version = 99");
  too_new = cachet_store_new (NULL, "migrate", NULL, &error);
  g_assert_error (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_TOO_NEW);
  g_assert_null (too_new);
  g_clear_pointer (&version, g_free);
  version = query_text (path, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, "99|\n");
}

static void
test_busy (void)
{
  g_autoptr(CachetStore) first = store_test_open ("busy");
  g_autoptr(CachetStore) second = NULL;
  g_autoptr(GError) error = NULL;

  second = cachet_store_new (NULL, "busy", NULL, &error);
  g_assert_error (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_BUSY);
  g_assert_null (second);

  g_clear_object (&first);
  second = store_test_open ("busy");
}

static void
test_invalid_arguments (void)
{
  const char *bad_ids[] = { "", "../evil", ".hidden", "a/b", "x y" };
  g_autoptr(CachetStore) store = store_test_open ("invalid");
  g_autoptr(GBytes) raw = load_data_file ("plain-utf8.eml");
  g_autoptr(CachetMessageInfo) info = NULL;
  CachetFolderInfo bad_folder = { .name = (char *) "a\nb" };
  CachetFolderInfo empty_folder = { .name = (char *) "" };
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (bad_ids); i++)
    {
      g_autoptr(CachetStore) bad = cachet_store_new (NULL, bad_ids[i], NULL, &error);

      g_assert_error (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_INVALID);
      g_assert_null (bad);
      g_clear_error (&error);
    }

  g_assert_false (cachet_store_upsert_folder (store, &bad_folder, &error));
  g_assert_error (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cachet_store_upsert_folder (store, &empty_folder, &error));
  g_assert_error (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_INVALID);
  g_clear_error (&error);

  info = cachet_store_add_message (store, "INBOX", UIDVALIDITY, 1, raw, 0, NULL, 0, 0, NULL,
                                   &error);
  g_assert_error (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  store_test_add_folder (store, "INBOX", NULL, UIDVALIDITY);
  info = cachet_store_add_message (store, "INBOX", UIDVALIDITY, 0, raw, 0, NULL, 0, 0, NULL,
                                   &error);
  g_assert_error (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_INVALID);
  g_assert_null (info);
}

/* Server-chosen folder names never reach outside the account's folders/,
 * and come back intact from the state files. */
static void
test_folder_names (void)
{
  const char *names[] = {
    "../../../../evil", "..", ".", "/", "INBOX/Résultats/2026", "INBOX.Sent", "~", "lost+found",
  };
  g_autoptr(CachetStore) store = store_test_open ("folder-names");
  g_autofree char *account_dir = g_strdup (cachet_store_get_account_dir (store));
  g_autofree char *folders_dir = g_build_filename (account_dir, "folders", NULL);
  g_autofree char *parent = g_path_get_dirname (account_dir);
  g_autoptr(GPtrArray) folders = NULL;
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(CachetMessageInfo) info = NULL;

      store_test_add_folder (store, names[i], NULL, UIDVALIDITY);
      info = add_file (store, names[i], 1, "plain-utf8.eml", 0);
    }

  /* One directory per folder, right under folders/, named reversibly. */
  g_assert_cmpuint (count_dir (folders_dir), ==, G_N_ELEMENTS (names));
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *dirname = cachet_maildir_encode_folder_name (names[i]);
      g_autofree char *path = g_build_filename (folders_dir, dirname, "cur", NULL);

      g_assert_null (strchr (dirname, '/'));
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_DIR));
    }
  {
    g_autofree char *evil = g_build_filename (parent, "evil", NULL);
    g_autofree char *evil_too = g_build_filename (account_dir, "evil", NULL);

    g_assert_false (g_file_test (evil, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (evil_too, G_FILE_TEST_EXISTS));
  }

  g_assert_true (cachet_store_reindex (store, NULL, &error));
  g_assert_no_error (error);
  folders = cachet_store_list_folders (store, &error);
  g_assert_cmpuint (folders->len, ==, G_N_ELEMENTS (names));
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(CachetFolderInfo) folder = cachet_store_get_folder (store, names[i], &error);

      g_assert_no_error (error);
      g_assert_cmpuint (folder->total_count, ==, 1);
    }
}

static void
test_add_idempotent (void)
{
  g_autoptr(CachetStore) store = store_test_open ("add");
  g_autoptr(GBytes) raw = load_data_file ("plain-utf8.eml");
  g_autoptr(GBytes) loaded = NULL;
  g_autoptr(CachetMessageInfo) first = NULL;
  g_autoptr(CachetMessageInfo) second = NULL;
  g_autoptr(CachetFolderInfo) folder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cur = NULL;
  const char *keywords[] = { "$Label1", "pas valide", "$Label1", NULL };

  store_test_add_folder (store, "INBOX", NULL, UIDVALIDITY);
  first = cachet_store_add_message (store, "INBOX", UIDVALIDITY, 10, raw,
                                    CACHET_MESSAGE_FLAG_FLAGGED, keywords, 1768469400, 3, NULL,
                                    &error);
  g_assert_no_error (error);

  g_assert_cmpstr (cachet_message_info_get_folder (first), ==, "INBOX");
  g_assert_cmpuint (cachet_message_info_get_uid (first), ==, 10);
  g_assert_cmpstr (cachet_message_info_get_subject (first), ==,
                   "Résultats d'analyses — dossier n°42");
  g_assert_cmpstr (cachet_message_info_get_from_name (first), ==, "Laboratoire Bio-Santé");
  g_assert_cmpstr (cachet_message_info_get_from_address (first), ==,
                   "resultats@labo-biosante.mssante.fr");
  g_assert_cmpstr (cachet_message_info_get_message_id (first), ==,
                   "20260115093000.4f2a@labo-biosante.mssante.fr");
  g_assert_cmpstr (cachet_message_info_get_in_reply_to (first), ==,
                   "demande-1234@cabinet-martin.mssante.fr");
  g_assert_cmpuint (g_strv_length ((char **) cachet_message_info_get_references (first)), ==, 2);
  g_assert_cmpint (g_date_time_to_unix (cachet_message_info_get_date (first)), ==, 1768469400);
  g_assert_cmpint (cachet_message_info_get_internal_date (first), ==, 1768469400);
  g_assert_cmpint (cachet_message_info_get_size (first), ==, g_bytes_get_size (raw));
  g_assert_cmpuint (cachet_message_info_get_modseq (first), ==, 3);
  g_assert_cmphex (cachet_message_info_get_flags (first), ==, CACHET_MESSAGE_FLAG_FLAGGED);
  g_assert_cmpstrv (cachet_message_info_get_keywords (first),
                    ((const char * const[]) { "$Label1", NULL }));
  g_assert_true (cachet_message_info_has_keyword (first, "$label1"));
  g_assert_false (cachet_message_info_get_has_attachment (first));
  g_assert_cmpuint (cachet_message_info_get_mime_issues (first), ==, 0);

  second = cachet_store_add_message (store, "INBOX", UIDVALIDITY, 10, raw, CACHET_MESSAGE_FLAG_SEEN,
                                     NULL, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cachet_message_info_get_id (second), ==, cachet_message_info_get_id (first));
  g_assert_cmphex (cachet_message_info_get_flags (second), ==, CACHET_MESSAGE_FLAG_FLAGGED);

  cur = folder_cur_dir (store, "INBOX");
  g_assert_cmpuint (count_dir (cur), ==, 1);
  g_assert_cmpint (cachet_store_count_messages (store, "INBOX", &error), ==, 1);
  folder = cachet_store_get_folder (store, "INBOX", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (folder->total_count, ==, 1);
  g_assert_cmpuint (folder->unread_count, ==, 1);

  loaded = cachet_store_load_message (store, "INBOX", 10, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (loaded, raw));
}

static void
test_add_unparsable (void)
{
  g_autoptr(CachetStore) store = store_test_open ("unparsable");
  g_autoptr(CachetMessageInfo) info = NULL;
  g_autoptr(GBytes) raw = load_data_file ("no-headers.eml");
  g_autoptr(GBytes) loaded = NULL;
  g_autoptr(GError) error = NULL;

  store_test_add_folder (store, "INBOX", NULL, UIDVALIDITY);
  info = add_file (store, "INBOX", 1, "no-headers.eml", 0);
  g_assert_null (cachet_message_info_get_subject (info));
  g_assert_null (cachet_message_info_get_date (info));
  g_assert_cmpint (cachet_message_info_get_internal_date (info), >, 0);

  loaded = cachet_store_load_message (store, "INBOX", 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (loaded, raw));
}

static void
test_uidvalidity_mismatch (void)
{
  g_autoptr(CachetStore) store = store_test_open ("mismatch");
  g_autoptr(GBytes) raw = load_data_file ("plain-utf8.eml");
  g_autoptr(CachetMessageInfo) info = NULL;
  CachetFolderInfo other = { .name = (char *) "INBOX", .uidvalidity = UIDVALIDITY + 1 };
  CachetFolderInfo unknown = { .name = (char *) "INBOX", .uidvalidity = 0, .uidnext = 50 };
  g_autoptr(CachetFolderInfo) folder = NULL;
  g_autoptr(GError) error = NULL;

  store_test_add_folder (store, "INBOX", NULL, UIDVALIDITY);
  info = cachet_store_add_message (store, "INBOX", UIDVALIDITY + 1, 1, raw, 0, NULL, 0, 0, NULL,
                                   &error);
  g_assert_error (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_UIDVALIDITY);
  g_assert_null (info);
  g_clear_error (&error);

  g_assert_false (cachet_store_upsert_folder (store, &other, &error));
  g_assert_error (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_UIDVALIDITY);
  g_clear_error (&error);

  /* 0: "not known here", the recorded one stays. */
  g_assert_true (cachet_store_upsert_folder (store, &unknown, &error));
  g_assert_no_error (error);
  folder = cachet_store_get_folder (store, "INBOX", &error);
  g_assert_cmpuint (folder->uidvalidity, ==, UIDVALIDITY);
  g_assert_cmpuint (folder->uidnext, ==, 50);
}

/* The bytes are on disk before the row exists: with the row made to fail,
 * the file is there all the same, and a reindex brings the row back. */
static void
test_file_before_row (void)
{
  g_autoptr(CachetStore) store = store_test_open ("durable");
  g_autoptr(GBytes) raw = load_data_file ("plain-utf8.eml");
  g_autoptr(CachetMessageInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = index_path (store);
  g_autofree char *cur = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *tmp = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  store_test_add_folder (store, "INBOX", NULL, UIDVALIDITY);
  exec_sql (path, "CREATE TRIGGER crash BEFORE INSERT ON messages "
                  "BEGIN SELECT RAISE (ABORT, 'simulated crash'); END");

  info = cachet_store_add_message (store, "INBOX", UIDVALIDITY, 77, raw, CACHET_MESSAGE_FLAG_SEEN,
                                   NULL, 1768469400, 0, NULL, &error);
  g_assert_error (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_FAILED);
  g_assert_null (info);
  g_clear_error (&error);

  rows = query_text (path, "SELECT count (*) FROM messages");
  g_assert_cmpstr (rows, ==, "0|\n");
  cur = folder_cur_dir (store, "INBOX");
  dir = g_dir_open (cur, 0, NULL);
  name = g_dir_read_name (dir);
  g_assert_nonnull (name);
  g_assert_true (g_str_has_suffix (name, ",U=77:2,S"));
  g_assert_null (g_dir_read_name (dir));
  tmp = g_build_filename (cachet_store_get_account_dir (store), "folders", "INBOX", "tmp", NULL);
  g_assert_cmpuint (count_dir (tmp), ==, 0);

  exec_sql (path, "DROP TRIGGER crash");
  cachet_store_reindex (store, NULL, &error);
  g_assert_no_error (error);
  info = cachet_store_get_message (store, "INBOX", 77, &error);
  g_assert_no_error (error);
  g_assert_cmphex (cachet_message_info_get_flags (info), ==, CACHET_MESSAGE_FLAG_SEEN);
  g_assert_cmpint (cachet_message_info_get_internal_date (info), ==, 1768469400);
}

/* A delivery whose row never came (a crash, a full disk) is not written a
 * second time when the message comes again, in this process or the next:
 * the file left behind gets its row first. */
static void
test_file_without_row_taken_again (void)
{
  g_autoptr(GBytes) raw = load_data_file ("plain-utf8.eml");
  g_autoptr(GError) error = NULL;

  for (guint restart = 0; restart < 2; restart++)
    {
      g_autofree char *name = g_strdup_printf ("taken-again-%u", restart);
      g_autoptr(CachetStore) store = store_test_open (name);
      g_autoptr(CachetMessageInfo) info = NULL;
      g_autofree char *path = index_path (store);
      g_autofree char *cur = folder_cur_dir (store, "INBOX");
      g_autofree char *rows = NULL;

      store_test_add_folder (store, "INBOX", NULL, UIDVALIDITY);
      exec_sql (path, "CREATE TRIGGER crash BEFORE INSERT ON messages "
                      "BEGIN SELECT RAISE (ABORT, 'simulated crash'); END");
      info = cachet_store_add_message (store, "INBOX", UIDVALIDITY, 78, raw, 0, NULL, 0, 0, NULL, &error);
      g_assert_null (info);
      g_clear_error (&error);
      exec_sql (path, "DROP TRIGGER crash");
      g_assert_cmpuint (count_dir (cur), ==, 1);

      if (restart == 1)
        {
          g_clear_object (&store);
          store = store_test_open (name);
        }
      info = cachet_store_add_message (store, "INBOX", UIDVALIDITY, 78, raw, 0, NULL, 0, 0, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (info);
      g_assert_cmpstr (cachet_message_info_get_subject (info), !=, NULL);
      g_assert_cmpuint (count_dir (cur), ==, 1);
      rows = query_text (path, "SELECT count (*) FROM messages");
      g_assert_cmpstr (rows, ==, "1|\n");
    }
}

/* A batch writes its files while the caller goes on, and their rows
 * together; one left uncommitted (the sync was interrupted) has its files
 * taken up by the next, never written twice. */
static void
test_batch (void)
{
  g_autoptr(CachetStore) store = store_test_open ("batch");
  g_autoptr(GBytes) raw = load_data_file ("plain-utf8.eml");
  g_autoptr(CachetStoreBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = index_path (store);
  g_autofree char *cur = folder_cur_dir (store, "INBOX");
  g_autofree char *rows = NULL;
  gboolean stored;

  store_test_add_folder (store, "INBOX", NULL, UIDVALIDITY);
  batch = cachet_store_batch_new (store, "INBOX", UIDVALIDITY, NULL, &error);
  g_assert_no_error (error);
  for (guint32 uid = 1; uid <= 3; uid++)
    {
      g_assert_true (cachet_store_batch_add (batch, uid, raw, 0, NULL, 0, 0, &stored, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (stored);
    }
  g_assert_true (cachet_store_batch_add (batch, 2, raw, 0, NULL, 0, 0, &stored, NULL, &error));
  g_assert_false (stored);
  rows = query_text (path, "SELECT count (*) FROM messages");
  g_assert_cmpstr (rows, ==, "0|\n");

  /* Interrupted before its commit: freeing waits for the files. */
  g_clear_pointer (&batch, cachet_store_batch_free);
  g_assert_cmpuint (count_dir (cur), ==, 3);
  g_clear_pointer (&rows, g_free);
  rows = query_text (path, "SELECT count (*) FROM messages");
  g_assert_cmpstr (rows, ==, "0|\n");
  batch = cachet_store_batch_new (store, "INBOX", UIDVALIDITY, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cachet_store_batch_add (batch, 3, raw, 0, NULL, 0, 0, &stored, NULL, &error));
  g_assert_false (stored);
  g_assert_true (cachet_store_batch_add (batch, 4, raw, 0, NULL, 0, 0, &stored, NULL, &error));
  g_assert_true (stored);
  g_assert_true (cachet_store_batch_commit (batch, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_dir (cur), ==, 4);
  g_clear_pointer (&rows, g_free);
  rows = query_text (path, "SELECT count (*) FROM messages");
  g_assert_cmpstr (rows, ==, "4|\n");
}

/* A message that could not be written fails the commit, after the others
 * of the batch got their rows; it can be stored again. */
static void
test_batch_failed_delivery (void)
{
  g_autoptr(CachetStore) store = store_test_open ("batch-failed-delivery");
  g_autoptr(GBytes) raw = load_data_file ("plain-utf8.eml");
  g_autoptr(CachetStoreBatch) batch = NULL;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = index_path (store);
  g_autofree char *cur = folder_cur_dir (store, "INBOX");
  g_autofree char *rows = NULL;
  gboolean stored;

  store_test_add_folder (store, "INBOX", NULL, UIDVALIDITY);
  batch = cachet_store_batch_new (store, "INBOX", UIDVALIDITY, NULL, &error);
  g_assert_no_error (error);
  for (guint32 uid = 1; uid <= 2; uid++)
    {
      g_assert_true (cachet_store_batch_add (batch, uid, raw, 0, NULL, 0, 0, &stored, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_true (cachet_store_batch_commit (batch, &error));
  g_assert_no_error (error);

  g_cancellable_cancel (cancelled);
  g_assert_true (cachet_store_batch_add (batch, 3, raw, 0, NULL, 0, 0, &stored, cancelled, &error));
  g_assert_no_error (error);
  g_assert_true (stored);
  g_assert_false (cachet_store_batch_commit (batch, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (count_dir (cur), ==, 2);
  rows = query_text (path, "SELECT uid FROM messages ORDER BY uid");
  g_assert_cmpstr (rows, ==, "1|\n2|\n");

  g_assert_true (cachet_store_batch_add (batch, 3, raw, 0, NULL, 0, 0, &stored, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (stored);
  g_assert_true (cachet_store_batch_commit (batch, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_dir (cur), ==, 3);
  g_clear_pointer (&rows, g_free);
  rows = query_text (path, "SELECT uid FROM messages ORDER BY uid");
  g_assert_cmpstr (rows, ==, "1|\n2|\n3|\n");
}

static void
test_flags (void)
{
  g_autoptr(CachetStore) store = store_test_open ("flags");
  g_autoptr(GBytes) raw = load_data_file ("plain-utf8.eml");
  g_autoptr(CachetMessageInfo) info = NULL;
  g_autoptr(CachetFolderInfo) folder = NULL;
  g_autoptr(GBytes) loaded = NULL;
  g_autoptr(GError) error = NULL;
  const char *keywords[] = { "$Imported", NULL };
  CachetFlagUpdate from_server[] = {
    { .uid = 1, .flags = CACHET_MESSAGE_FLAG_SEEN, .keywords = keywords, .modseq = 6 },
    { .uid = 999, .flags = CACHET_MESSAGE_FLAG_SEEN, .modseq = 6 },
  };
  CachetFlagUpdate stale = { .uid = 1, .flags = CACHET_MESSAGE_FLAG_NONE, .modseq = 4 };
  CachetFlagUpdate local = { .uid = 1,
                             .flags = CACHET_MESSAGE_FLAG_SEEN | CACHET_MESSAGE_FLAG_FLAGGED,
                             .keywords = keywords, .modseq = 0 };

  store_test_add_folder (store, "INBOX", NULL, UIDVALIDITY);
  info = cachet_store_add_message (store, "INBOX", UIDVALIDITY, 1, raw, 0, NULL, 0, 5, NULL,
                                   &error);
  g_assert_no_error (error);
  g_clear_object (&info);

  g_assert_true (cachet_store_update_flags (store, "INBOX", UIDVALIDITY, from_server,
                                            G_N_ELEMENTS (from_server), &error));
  g_assert_no_error (error);
  info = cachet_store_get_message (store, "INBOX", 1, &error);
  g_assert_cmphex (cachet_message_info_get_flags (info), ==, CACHET_MESSAGE_FLAG_SEEN);
  g_assert_cmpuint (cachet_message_info_get_modseq (info), ==, 6);
  g_assert_true (cachet_message_info_has_keyword (info, "$Imported"));
  folder = cachet_store_get_folder (store, "INBOX", &error);
  g_assert_cmpuint (folder->unread_count, ==, 0);
  g_clear_pointer (&folder, cachet_folder_info_free);
  g_clear_object (&info);

  /* Older than what is recorded: ignored. */
  g_assert_true (cachet_store_update_flags (store, "INBOX", UIDVALIDITY, &stale, 1, &error));
  info = cachet_store_get_message (store, "INBOX", 1, &error);
  g_assert_cmphex (cachet_message_info_get_flags (info), ==, CACHET_MESSAGE_FLAG_SEEN);
  g_clear_object (&info);

  /* A local change keeps the server's modseq. */
  g_assert_true (cachet_store_update_flags (store, "INBOX", UIDVALIDITY, &local, 1, &error));
  info = cachet_store_get_message (store, "INBOX", 1, &error);
  g_assert_cmphex (cachet_message_info_get_flags (info), ==,
                   CACHET_MESSAGE_FLAG_SEEN | CACHET_MESSAGE_FLAG_FLAGGED);
  g_assert_cmpuint (cachet_message_info_get_modseq (info), ==, 6);

  loaded = cachet_store_load_message (store, "INBOX", 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (loaded, raw));

  g_assert_false (cachet_store_update_flags (store, "INBOX", UIDVALIDITY + 1, &local, 1, &error));
  g_assert_error (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_UIDVALIDITY);
}

static void
test_expunge (void)
{
  g_autoptr(CachetStore) store = store_test_open ("expunge");
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(CachetFolderInfo) folder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cur = NULL;
  const CachetUidRange ranges[] = { { 2, 3 }, { 5, 5 }, { 200, 100 } };

  store_test_add_folder (store, "INBOX", NULL, UIDVALIDITY);
  for (guint uid = 1; uid <= 5; uid++)
    g_object_unref (add_file (store, "INBOX", uid, "alternative.eml", 1768000000 + uid));

  g_assert_true (cachet_store_remove_messages (store, "INBOX", UIDVALIDITY,
                                               ranges, G_N_ELEMENTS (ranges), &error));
  g_assert_no_error (error);

  messages = cachet_store_list_messages (store, "INBOX", 0, 100, &error);
  g_assert_cmpuint (messages->len, ==, 2);
  g_assert_cmpuint (cachet_message_info_get_uid (g_ptr_array_index (messages, 0)), ==, 4);
  g_assert_cmpuint (cachet_message_info_get_uid (g_ptr_array_index (messages, 1)), ==, 1);
  cur = folder_cur_dir (store, "INBOX");
  g_assert_cmpuint (count_dir (cur), ==, 2);
  folder = cachet_store_get_folder (store, "INBOX", &error);
  g_assert_cmpuint (folder->total_count, ==, 2);
  g_assert_cmpuint (folder->unread_count, ==, 2);
}

static gboolean
find_lost_message (const char *lost_found,
                   GBytes     *raw)
{
  g_autoptr(GDir) dir = g_dir_open (lost_found, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (lost_found, name, NULL);
      g_autoptr(CachetMaildir) maildir = cachet_maildir_new (path);
      g_autoptr(GPtrArray) entries = cachet_maildir_list (maildir, NULL, NULL);

      for (guint i = 0; entries != NULL && i < entries->len; i++)
        {
          CachetMaildirEntry *entry = g_ptr_array_index (entries, i);
          g_autoptr(GBytes) bytes = cachet_maildir_read (maildir, entry->filename, NULL, NULL);

          if (bytes != NULL && g_bytes_equal (bytes, raw))
            return TRUE;
        }
    }
  return FALSE;
}

static void
test_uidvalidity_change (void)
{
  g_autoptr(CachetStore) store = store_test_open ("uidvalidity");
  g_autoptr(CachetPendingAction) flag_action = NULL;
  g_autoptr(CachetPendingAction) append = NULL;
  g_autoptr(GPtrArray) actions = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(CachetFolderInfo) folder = NULL;
  g_autoptr(CachetMessageInfo) info = NULL;
  g_autoptr(GBytes) raw = load_data_file ("plain-utf8.eml");
  g_autoptr(GError) error = NULL;
  g_autofree char *lost_found = NULL;
  g_autofree char *cur = NULL;
  guint32 uid = 2;

  store_test_add_folder (store, "INBOX", NULL, UIDVALIDITY);
  for (guint i = 0; i < G_N_ELEMENTS (data_files); i++)
    g_object_unref (add_file (store, "INBOX", i + 1, data_files[i], 0));

  flag_action = cachet_pending_action_new (CACHET_PENDING_ACTION_ADD_FLAGS, "INBOX");
  append = cachet_pending_action_new (CACHET_PENDING_ACTION_APPEND, "INBOX");
  g_array_append_val (flag_action->uids, uid);
  flag_action->uidvalidity = UIDVALIDITY;
  flag_action->flags = CACHET_MESSAGE_FLAG_SEEN;
  g_assert_cmpint (cachet_store_queue_action (store, flag_action, NULL, &error), >, 0);
  g_assert_cmpint (cachet_store_queue_action (store, append, raw, &error), >, 0);
  g_assert_no_error (error);

  g_assert_true (cachet_store_reset_folder (store, "INBOX", UIDVALIDITY + 1, &error));
  g_assert_no_error (error);

  folder = cachet_store_get_folder (store, "INBOX", &error);
  g_assert_cmpuint (folder->uidvalidity, ==, UIDVALIDITY + 1);
  g_assert_cmpuint (folder->total_count, ==, 0);
  messages = cachet_store_list_messages (store, "INBOX", 0, 100, &error);
  g_assert_cmpuint (messages->len, ==, 0);
  cur = folder_cur_dir (store, "INBOX");
  g_assert_cmpuint (count_dir (cur), ==, 0);

  /* Every byte is kept, aside. */
  lost_found = g_build_filename (cachet_store_get_account_dir (store), "lost+found", NULL);
  g_assert_cmpuint (count_dir (lost_found), ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (data_files); i++)
    {
      g_autoptr(GBytes) file = load_data_file (data_files[i]);

      g_assert_true (find_lost_message (lost_found, file));
    }

  actions = cachet_store_list_pending_actions (store, &error);
  g_assert_cmpuint (actions->len, ==, 2);
  g_assert_cmpint (((CachetPendingAction *) g_ptr_array_index (actions, 0))->state, ==,
                   CACHET_PENDING_ACTION_FAILED);
  g_assert_cmpint (((CachetPendingAction *) g_ptr_array_index (actions, 1))->state, ==,
                   CACHET_PENDING_ACTION_QUEUED);

  info = cachet_store_add_message (store, "INBOX", UIDVALIDITY, 1, raw, 0, NULL, 0, 0, NULL,
                                   &error);
  g_assert_error (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_UIDVALIDITY);
  g_clear_error (&error);
  info = cachet_store_add_message (store, "INBOX", UIDVALIDITY + 1, 1, raw, 0, NULL, 0, 0, NULL,
                                   &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);

  /* A reindex now sees only the new generation. */
  cachet_store_reindex (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cachet_store_count_messages (store, "INBOX", &error), ==, 1);
}

static void
assert_search (CachetStore *store,
               const char  *folder,
               const char  *query,
               const char  *expected_subjects)
{
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GString) subjects = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  results = cachet_store_search (store, folder, query, 0, 100, &error);
  g_assert_no_error (error);
  g_assert_nonnull (results);
  for (guint i = 0; i < results->len; i++)
    {
      const char *subject = cachet_message_info_get_subject (g_ptr_array_index (results, i));

      g_string_append_printf (subjects, "%s;", subject != NULL ? subject : "");
    }
  if (expected_subjects != NULL && !g_str_equal (subjects->str, expected_subjects))
    g_error ("search for “%s” found “%s”, not “%s”", query, subjects->str, expected_subjects);
}

static void
test_search (void)
{
  g_autoptr(CachetStore) store = store_test_open ("search");
  g_autoptr(GString) long_query = g_string_new (NULL);
  const char *hostile[] = {
    "\"", "\"\"", "AND(", "NEAR(a b)", "OR", "NOT", "subject:foo", "*", "-", "'", "^résultat",
    "\"résultat", "résultat\"", ") OR (", "'; DROP TABLE messages; --", "{a b}", "a:b:c", "\\",
    "résultat*\"*", "   ", "", "\xff\xfe invalide",
  };

  store_test_add_folder (store, "INBOX", NULL, UIDVALIDITY);
  store_test_add_folder (store, "Archives", NULL, UIDVALIDITY);
  for (guint i = 0; i < G_N_ELEMENTS (data_files); i++)
    g_object_unref (add_file (store, "INBOX", i + 1, data_files[i], 1768000000 + i));
  g_object_unref (add_file (store, "Archives", 1, "plain-utf8.eml", 1760000000));

  /* Accents and case do not matter; the last word is a prefix. */
  assert_search (store, "INBOX", "resultats",
                 "[CR-BIO] Compte rendu d'examens de biologie;"
                 "Résultats d'analyses — dossier n°42;");
  assert_search (store, "INBOX", "RÉSULTATS D'ANALYSES", "Résultats d'analyses — dossier n°42;");
  assert_search (store, "INBOX", "hemoglob", "Résultats d'analyses — dossier n°42;");
  assert_search (store, "INBOX", "lefevre", "Résultats d'analyses — dossier n°42;");
  assert_search (store, "INBOX", "echographie", "Échographie abdominale;");
  assert_search (store, "INBOX", "operatoire berard",
                 "Compte-rendu opératoire de M. François Bérard;");
  assert_search (store, "INBOX", "équipe temperature", "Ancien logiciel;");
  assert_search (store, "INBOX", "dupont", "");
  /* Every word must match. */
  assert_search (store, "INBOX", "resultats echographie", "");
  /* All folders, newest first. */
  assert_search (store, NULL, "hémoglobine",
                 "Résultats d'analyses — dossier n°42;Résultats d'analyses — dossier n°42;");
  assert_search (store, "Archives", "biosante", "Résultats d'analyses — dossier n°42;");

  /* Whatever the user types, no syntax error. */
  for (gsize i = 0; i < G_N_ELEMENTS (hostile); i++)
    assert_search (store, "INBOX", hostile[i], NULL);
  assert_search (store, "INBOX", "\"résultats d'analyses\"",
                 "Résultats d'analyses — dossier n°42;");
  assert_search (store, "INBOX", "NEAR(résultats", "");
  for (guint i = 0; i < 2000; i++)
    g_string_append (long_query, "a\" ");
  assert_search (store, "INBOX", long_query->str, NULL);
}

static void
test_list_pages (void)
{
  g_autoptr(CachetStore) store = store_test_open ("list");
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  guint position = 0;

  store_test_add_folder (store, "INBOX", NULL, UIDVALIDITY);
  /* Arrival order is not UID order: the list follows arrival. */
  for (guint uid = 1; uid <= 30; uid++)
    {
      gint64 arrival = 1768000000 + ((uid * 7) % 30) * 60;

      g_object_unref (add_file (store, "INBOX", uid, "alternative.eml", arrival));
    }

  g_assert_cmpint (cachet_store_count_messages (store, "INBOX", &error), ==, 30);
  all = cachet_store_list_messages (store, "INBOX", 0, 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 30);
  for (guint i = 1; i < all->len; i++)
    g_assert_cmpint (cachet_message_info_get_internal_date (g_ptr_array_index (all, i - 1)), >,
                     cachet_message_info_get_internal_date (g_ptr_array_index (all, i)));

  for (guint offset = 0; offset < 30; offset += 7)
    {
      g_autoptr(GPtrArray) page = cachet_store_list_messages (store, "INBOX", offset, 7, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < page->len; i++)
        g_assert_cmpint (cachet_message_info_get_id (g_ptr_array_index (page, i)), ==,
                         cachet_message_info_get_id (g_ptr_array_index (all, position++)));
    }
  g_assert_cmpuint (position, ==, 30);
}

static void
test_pending_actions (void)
{
  g_autoptr(CachetStore) store = store_test_open ("pending");
  g_autoptr(CachetPendingAction) flag = NULL;
  g_autoptr(CachetPendingAction) move = NULL;
  g_autoptr(CachetPendingAction) append = NULL;
  g_autoptr(CachetPendingAction) incomplete = NULL;
  g_autoptr(CachetPendingAction) nowhere = NULL;
  g_autoptr(GBytes) raw = load_data_file ("alternative.eml");
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GPtrArray) actions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pending_cur = NULL;
  const char *keywords[] = { "$Imported", NULL };
  guint32 uids[] = { 3, 1, 2 };
  gint64 ids[3];
  CachetPendingAction *action;

  store_test_add_folder (store, "INBOX", NULL, UIDVALIDITY);
  store_test_add_folder (store, "Sent", NULL, UIDVALIDITY);
  store_test_add_folder (store, "Archives", NULL, UIDVALIDITY);

  flag = cachet_pending_action_new (CACHET_PENDING_ACTION_ADD_FLAGS, "INBOX");
  move = cachet_pending_action_new (CACHET_PENDING_ACTION_MOVE, "INBOX");
  append = cachet_pending_action_new (CACHET_PENDING_ACTION_APPEND, "Sent");
  incomplete = cachet_pending_action_new (CACHET_PENDING_ACTION_ADD_FLAGS, "INBOX");
  nowhere = cachet_pending_action_new (CACHET_PENDING_ACTION_MOVE, "INBOX");
  g_array_append_vals (flag->uids, uids, G_N_ELEMENTS (uids));
  flag->uidvalidity = UIDVALIDITY;
  flag->keywords = g_strdupv ((char **) keywords);
  g_array_append_vals (move->uids, uids, 1);
  move->uidvalidity = UIDVALIDITY;
  move->target_folder = g_strdup ("Archives");
  append->flags = CACHET_MESSAGE_FLAG_SEEN;

  ids[0] = cachet_store_queue_action (store, flag, NULL, &error);
  g_assert_no_error (error);
  ids[1] = cachet_store_queue_action (store, move, NULL, &error);
  g_assert_no_error (error);
  ids[2] = cachet_store_queue_action (store, append, raw, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ids[0], <, ids[1]);
  g_assert_cmpint (ids[1], <, ids[2]);

  g_assert_cmpint (cachet_store_queue_action (store, incomplete, NULL, &error), ==, 0);
  g_assert_error (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_array_append_vals (nowhere->uids, uids, 1);
  nowhere->target_folder = g_strdup ("Nulle part");
  g_assert_cmpint (cachet_store_queue_action (store, nowhere, NULL, &error), ==, 0);
  g_assert_error (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  actions = cachet_store_list_pending_actions (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (actions->len, ==, 3);
  action = g_ptr_array_index (actions, 0);
  g_assert_cmpint (action->id, ==, ids[0]);
  g_assert_cmpint (action->kind, ==, CACHET_PENDING_ACTION_ADD_FLAGS);
  g_assert_cmpint (action->state, ==, CACHET_PENDING_ACTION_QUEUED);
  g_assert_cmpstr (action->folder, ==, "INBOX");
  g_assert_cmpuint (action->uids->len, ==, 3);
  g_assert_cmpuint (g_array_index (action->uids, guint32, 0), ==, 3);
  g_assert_cmpstrv (action->keywords, keywords);
  g_assert_cmpint (action->created, >, 0);
  action = g_ptr_array_index (actions, 1);
  g_assert_cmpint (action->kind, ==, CACHET_PENDING_ACTION_MOVE);
  g_assert_cmpstr (action->target_folder, ==, "Archives");
  action = g_ptr_array_index (actions, 2);
  g_assert_cmpint (action->kind, ==, CACHET_PENDING_ACTION_APPEND);
  g_assert_cmpstr (action->folder, ==, "Sent");
  g_assert_cmphex (action->flags, ==, CACHET_MESSAGE_FLAG_SEEN);
  g_clear_pointer (&actions, g_ptr_array_unref);

  g_assert_true (cachet_store_set_pending_action_state (store, ids[0],
                                                        CACHET_PENDING_ACTION_IN_PROGRESS,
                                                        NULL, &error));
  g_assert_true (cachet_store_set_pending_action_state (store, ids[0], CACHET_PENDING_ACTION_QUEUED,
                                                        "Connection lost", &error));
  g_assert_true (cachet_store_set_pending_action_state (store, ids[1], CACHET_PENDING_ACTION_FAILED,
                                                        "No such folder on the server", &error));
  g_assert_no_error (error);
  g_assert_false (cachet_store_set_pending_action_state (store, 12345, CACHET_PENDING_ACTION_FAILED,
                                                         NULL, &error));
  g_assert_error (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  payload = cachet_store_load_pending_payload (store, ids[2], &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (payload, raw));
  pending_cur = g_build_filename (cachet_store_get_account_dir (store), "pending", "cur", NULL);
  g_assert_cmpuint (count_dir (pending_cur), ==, 1);

  g_assert_true (cachet_store_complete_pending_action (store, ids[2], &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_dir (pending_cur), ==, 0);

  actions = cachet_store_list_pending_actions (store, &error);
  g_assert_cmpuint (actions->len, ==, 2);
  action = g_ptr_array_index (actions, 0);
  g_assert_cmpint (action->state, ==, CACHET_PENDING_ACTION_QUEUED);
  g_assert_cmpuint (action->attempts, ==, 1);
  g_assert_cmpstr (action->last_error, ==, "Connection lost");
  action = g_ptr_array_index (actions, 1);
  g_assert_cmpint (action->state, ==, CACHET_PENDING_ACTION_FAILED);
  g_assert_cmpuint (action->attempts, ==, 0);
}

#define SNAPSHOT_FOLDERS \
  "SELECT name, delimiter, special_use, subscribed, uidvalidity, uidnext, highestmodseq, " \
  "       total_count, unread_count FROM folders ORDER BY name"
#define SNAPSHOT_MESSAGES \
  "SELECT f.name, m.uid, m.filename, m.internal_date, m.size, m.modseq, m.seen, m.answered, " \
  "       m.flagged, m.deleted, m.draft, m.keywords, m.message_id, m.in_reply_to, m.refs, " \
  "       m.date, " \
  "       m.from_name, m.from_address, m.to_text, m.cc_text, m.subject, m.has_attachment, " \
  "       m.is_signed, m.is_encrypted, m.mss_headers, m.mime_issues " \
  "FROM messages AS m JOIN folders AS f ON f.id = m.folder_id ORDER BY f.name, m.uid"
#define SNAPSHOT_TEXT \
  "SELECT f.name, m.uid, t.sender, t.recipients, t.subject, t.body " \
  "FROM messages_fts AS t JOIN messages AS m ON m.id = t.rowid " \
  "  JOIN folders AS f ON f.id = m.folder_id ORDER BY f.name, m.uid"

static char *
snapshot (const char *path)
{
  g_autofree char *folders = query_text (path, SNAPSHOT_FOLDERS);
  g_autofree char *messages = query_text (path, SNAPSHOT_MESSAGES);
  g_autofree char *text = query_text (path, SNAPSHOT_TEXT);
  g_autofree char *text_count = query_text (path, "SELECT count (*) FROM messages_fts");

  return g_strconcat (folders, "--\n", messages, "--\n", text, "--\n", text_count, NULL);
}

static void
fill_for_reindex (CachetStore *store)
{
  const char *folders[] = { "INBOX", "INBOX/Résultats", "Éléments envoyés" };
  const char *keywords_a[] = { "$Imported", "$Label2", NULL };
  const char *keywords_b[] = { "$Forwarded", NULL };
  CachetFolderInfo sent = { .name = (char *) "Éléments envoyés", .delimiter = (char *) "/",
                            .special_use = (char *) "\\Sent", .subscribed = TRUE,
                            .uidvalidity = UIDVALIDITY, .uidnext = 40, .highestmodseq = 900 };
  CachetFlagUpdate updates[] = {
    { .uid = 2, .flags = CACHET_MESSAGE_FLAG_SEEN | CACHET_MESSAGE_FLAG_ANSWERED,
      .keywords = keywords_a, .modseq = 41 },
    { .uid = 5, .flags = CACHET_MESSAGE_FLAG_DELETED | CACHET_MESSAGE_FLAG_DRAFT,
      .keywords = keywords_b, .modseq = 42 },
  };
  const CachetUidRange gone = { 4, 4 };
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (folders); i++)
    store_test_add_folder (store, folders[i], NULL, UIDVALIDITY);
  g_assert_true (cachet_store_upsert_folder (store, &sent, &error));
  for (guint i = 0; i < G_N_ELEMENTS (data_files); i++)
    g_object_unref (add_file (store, folders[i % G_N_ELEMENTS (folders)], i + 1, data_files[i],
                              1768000000 + i * 3600));
  g_assert_true (cachet_store_update_flags (store, "INBOX/Résultats", UIDVALIDITY, updates,
                                            G_N_ELEMENTS (updates), &error));
  g_assert_no_error (error);
  g_assert_true (cachet_store_remove_messages (store, "INBOX", UIDVALIDITY, &gone, 1, &error));
  g_assert_no_error (error);
}

static void
remove_index (const char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

static void
test_reindex (void)
{
  g_autoptr(CachetStore) store = store_test_open ("reindex");
  g_autoptr(CachetPendingAction) move = cachet_pending_action_new (CACHET_PENDING_ACTION_DELETE,
                                                                   "INBOX");
  g_autoptr(GPtrArray) actions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = index_path (store);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *rebuilt = NULL;
  g_autofree char *counts = NULL;
  guint32 uid = 1;

  fill_for_reindex (store);
  g_array_append_val (move->uids, uid);
  g_assert_cmpint (cachet_store_queue_action (store, move, NULL, &error), >, 0);
  before = snapshot (path);
  counts = query_text (path, "SELECT count (*) FROM messages");
  g_assert_cmpstr (counts, ==, "11|\n");

  /* Rebuilt in place: the same rows, and the queued actions stay. */
  cachet_store_reindex (store, NULL, &error);
  g_assert_no_error (error);
  after = snapshot (path);
  g_assert_cmpstr (after, ==, before);
  actions = cachet_store_list_pending_actions (store, &error);
  g_assert_cmpuint (actions->len, ==, 1);

  /* Rebuilt from nothing but the Maildirs. */
  g_clear_object (&store);
  remove_index (path);
  store = store_test_open ("reindex");
  cachet_store_reindex (store, NULL, &error);
  g_assert_no_error (error);
  rebuilt = snapshot (path);
  g_assert_cmpstr (rebuilt, ==, before);
}

static void
test_reindex_cancelled (void)
{
  g_autoptr(CachetStore) store = store_test_open ("reindex-cancelled");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = index_path (store);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  fill_for_reindex (store);
  before = snapshot (path);
  g_cancellable_cancel (cancellable);
  g_assert_false (cachet_store_reindex (store, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  after = snapshot (path);
  g_assert_cmpstr (after, ==, before);
}

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} AsyncWait;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static GAsyncResult *
wait_for_result (AsyncWait *wait)
{
  g_main_loop_run (wait->loop);
  return wait->result;
}

static void
test_async (void)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  AsyncWait wait = { loop, NULL };
  g_autoptr(CachetStore) store = NULL;
  g_autoptr(CachetMessageInfo) info = NULL;
  g_autoptr(CachetPendingAction) action = cachet_pending_action_new (CACHET_PENDING_ACTION_APPEND,
                                                                     "INBOX");
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GBytes) raw = load_data_file ("plain-utf8.eml");
  g_autoptr(GBytes) loaded = NULL;
  g_autoptr(GError) error = NULL;

  cachet_store_new_async (NULL, "async", NULL, on_done, &wait);
  store = cachet_store_new_finish (wait_for_result (&wait), &error);
  g_assert_no_error (error);
  g_clear_object (&wait.result);

  store_test_add_folder (store, "INBOX", NULL, UIDVALIDITY);
  cachet_store_add_message_async (store, "INBOX", UIDVALIDITY, 8, raw, CACHET_MESSAGE_FLAG_SEEN,
                                  NULL, 0, 0, NULL, on_done, &wait);
  info = cachet_store_add_message_finish (store, wait_for_result (&wait), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cachet_message_info_get_uid (info), ==, 8);
  g_clear_object (&wait.result);

  cachet_store_count_messages_async (store, "INBOX", NULL, on_done, &wait);
  g_assert_cmpint (cachet_store_count_messages_finish (store, wait_for_result (&wait), &error), ==,
                   1);
  g_clear_object (&wait.result);

  cachet_store_list_messages_async (store, "INBOX", 0, 50, NULL, on_done, &wait);
  page = cachet_store_list_messages_finish (store, wait_for_result (&wait), &error);
  g_assert_cmpuint (page->len, ==, 1);
  g_clear_object (&wait.result);

  cachet_store_search_async (store, NULL, "numération", 0, 50, NULL, on_done, &wait);
  found = cachet_store_search_finish (store, wait_for_result (&wait), &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_object (&wait.result);

  cachet_store_load_message_async (store, "INBOX", 8, NULL, on_done, &wait);
  loaded = cachet_store_load_message_finish (store, wait_for_result (&wait), &error);
  g_assert_true (g_bytes_equal (loaded, raw));
  g_clear_object (&wait.result);

  cachet_store_queue_action_async (store, action, raw, NULL, on_done, &wait);
  g_assert_cmpint (cachet_store_queue_action_finish (store, wait_for_result (&wait), &error), >, 0);
  g_clear_object (&wait.result);

  cachet_store_reindex_async (store, NULL, on_done, &wait);
  g_assert_true (cachet_store_reindex_finish (store, wait_for_result (&wait), &error));
  g_clear_object (&wait.result);

  cachet_store_load_message_async (store, "INBOX", 9, NULL, on_done, &wait);
  g_assert_null (cachet_store_load_message_finish (store, wait_for_result (&wait), &error));
  g_assert_error (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_NOT_FOUND);
  g_clear_object (&wait.result);
}

typedef struct
{
  CachetStore *store;
  guint        first_uid;
} AddJob;

static gpointer
add_many (gpointer data)
{
  AddJob *job = data;
  g_autoptr(GBytes) raw = load_data_file ("alternative.eml");

  for (guint i = 0; i < 25; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CachetMessageInfo) info = NULL;
      g_autoptr(GPtrArray) page = NULL;

      info = cachet_store_add_message (job->store, "INBOX", UIDVALIDITY, job->first_uid + i, raw, 0,
                                       NULL,
                                       0, 0, NULL, &error);
      g_assert_no_error (error);
      page = cachet_store_list_messages (job->store, "INBOX", 0, 10, &error);
      g_assert_no_error (error);
    }
  return NULL;
}

static void
test_threads (void)
{
  g_autoptr(CachetStore) store = store_test_open ("threads");
  g_autoptr(GError) error = NULL;
  AddJob jobs[4];
  GThread *threads[4];

  store_test_add_folder (store, "INBOX", NULL, UIDVALIDITY);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      jobs[i] = (AddJob) { store, 1 + i * 100 };
      threads[i] = g_thread_new ("add", add_many, &jobs[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  g_assert_cmpint (cachet_store_count_messages (store, "INBOX", &error), ==, 100);
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init (&argc, &argv);

  g_test_add_func ("/store/index/migrate", test_migrate);
  g_test_add_func ("/store/index/busy", test_busy);
  g_test_add_func ("/store/index/invalid-arguments", test_invalid_arguments);
  g_test_add_func ("/store/index/folder-names", test_folder_names);
  g_test_add_func ("/store/index/add-idempotent", test_add_idempotent);
  g_test_add_func ("/store/index/add-unparsable", test_add_unparsable);
  g_test_add_func ("/store/index/uidvalidity-mismatch", test_uidvalidity_mismatch);
  g_test_add_func ("/store/index/file-before-row", test_file_before_row);
  g_test_add_func ("/store/index/batch", test_batch);
  g_test_add_func ("/store/index/batch-failed-delivery", test_batch_failed_delivery);
  g_test_add_func ("/store/index/file-without-row-taken-again", test_file_without_row_taken_again);
  g_test_add_func ("/store/index/flags", test_flags);
  g_test_add_func ("/store/index/expunge", test_expunge);
  g_test_add_func ("/store/index/uidvalidity-change", test_uidvalidity_change);
  g_test_add_func ("/store/index/search", test_search);
  g_test_add_func ("/store/index/list-pages", test_list_pages);
  g_test_add_func ("/store/index/pending-actions", test_pending_actions);
  g_test_add_func ("/store/index/reindex", test_reindex);
  g_test_add_func ("/store/index/reindex-cancelled", test_reindex_cancelled);
  g_test_add_func ("/store/index/async", test_async);
  g_test_add_func ("/store/index/threads", test_threads);

  return g_test_run ();
}
