/* test-store-actions.c
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

/* The user's actions on the local store: applied to the index at once and
 * queued for the server in the same transaction. Each test uses its own
 * account, under the data directory cachet_test_init() made. */

#define UIDVALIDITY 1700000000u
#define DRAFT_V2    "Subject: v2\r\n\r\nv2\r\n"

static void
add_message (CachetStore        *store,
             const char         *folder,
             guint32             uid,
             const char         *message_id,
             CachetMessageFlags  flags)
{
  g_autofree char *text = g_strdup_printf ("From: Dr Martin <martin@example.org>\r\n"
                                           "To: Cabinet <cabinet@example.org>\r\n"
                                           "Subject: Message %u\r\n"
                                           "Message-ID: <%s>\r\n"
                                           "\r\n"
                                           "Bonjour.\r\n", uid, message_id);
  gsize length = strlen (text);
  g_autoptr(GBytes) raw = g_bytes_new_take (g_steal_pointer (&text), length);
  g_autoptr(CachetMessageInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = cachet_store_add_message (store, folder, UIDVALIDITY, uid, raw, flags, NULL, 0, 0, NULL,
                                   &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);
}

static CachetPendingAction *
new_action (CachetPendingActionKind  kind,
            const char              *folder,
            const guint32           *uids,
            guint                    n_uids)
{
  CachetPendingAction *action = cachet_pending_action_new (kind, folder);

  action->uidvalidity = UIDVALIDITY;
  g_array_append_vals (action->uids, uids, n_uids);
  return action;
}

static char *
folder_cur_dir (CachetStore *store,
                const char  *folder)
{
  g_autofree char *dirname = cachet_maildir_encode_folder_name (folder);

  return g_build_filename (cachet_store_get_account_dir (store), "folders", dirname, "cur", NULL);
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

static guint
count_pending (CachetStore *store)
{
  g_autoptr(GPtrArray) actions = NULL;
  g_autoptr(GError) error = NULL;

  actions = cachet_store_list_pending_actions (store, &error);
  g_assert_no_error (error);
  return actions->len;
}

/* The UIDs the folder lists, in UID order, as "1,2,3". */
static char *
listed_uids (CachetStore *store,
             const char  *folder)
{
  g_autoptr(GArray) uids = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  uids = cachet_store_list_uids (store, folder, UIDVALIDITY, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < uids->len; i++)
    g_string_append_printf (text, "%s%u", i > 0 ? "," : "", g_array_index (uids, guint32, i));
  return g_strdup (text->str);
}

static CachetMessageFlags
message_flags (CachetStore *store,
               const char  *folder,
               guint32      uid)
{
  g_autoptr(CachetMessageInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = cachet_store_get_message (store, folder, uid, &error);
  g_assert_no_error (error);
  return cachet_message_info_get_flags (info);
}

static guint
unread_count (CachetStore *store,
              const char  *folder)
{
  g_autoptr(CachetFolderInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = cachet_store_get_folder (store, folder, &error);
  g_assert_no_error (error);
  return info->unread_count;
}

static void
test_apply_flags (void)
{
  g_autoptr(CachetStore) store = store_test_open ("apply-flags");
  g_autoptr(CachetPendingAction) seen = NULL;
  g_autoptr(CachetPendingAction) unflag = NULL;
  g_autoptr(CachetMessageInfo) info = NULL;
  g_autoptr(GPtrArray) actions = NULL;
  g_autoptr(GError) error = NULL;
  const char *keywords[] = { "$Imported", NULL };
  const guint32 uids[] = { 1, 2, 99 };
  CachetPendingAction *queued;
  gint64 id;

  store_test_add_folder (store, "INBOX", NULL, UIDVALIDITY);
  add_message (store, "INBOX", 1, "one@example.org", CACHET_MESSAGE_FLAG_FLAGGED);
  add_message (store, "INBOX", 2, "two@example.org", CACHET_MESSAGE_FLAG_NONE);
  add_message (store, "INBOX", 3, "three@example.org", CACHET_MESSAGE_FLAG_NONE);
  g_assert_cmpuint (unread_count (store, "INBOX"), ==, 3);

  /* UID 99 is not here (yet): it goes to the server all the same. */
  seen = new_action (CACHET_PENDING_ACTION_ADD_FLAGS, "INBOX", uids, G_N_ELEMENTS (uids));
  seen->flags = CACHET_MESSAGE_FLAG_SEEN;
  seen->keywords = g_strdupv ((char **) keywords);
  id = cachet_store_apply_action (store, seen, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  g_assert_cmphex (message_flags (store, "INBOX", 1), ==,
                   CACHET_MESSAGE_FLAG_SEEN | CACHET_MESSAGE_FLAG_FLAGGED);
  g_assert_cmphex (message_flags (store, "INBOX", 2), ==, CACHET_MESSAGE_FLAG_SEEN);
  g_assert_cmphex (message_flags (store, "INBOX", 3), ==, CACHET_MESSAGE_FLAG_NONE);
  g_assert_cmpuint (unread_count (store, "INBOX"), ==, 1);
  info = cachet_store_get_message (store, "INBOX", 2, &error);
  g_assert_cmpstrv (cachet_message_info_get_keywords (info), keywords);
  g_clear_object (&info);

  /* Removing: only what is named goes. */
  unflag = new_action (CACHET_PENDING_ACTION_REMOVE_FLAGS, "INBOX", uids, 1);
  unflag->flags = CACHET_MESSAGE_FLAG_FLAGGED;
  unflag->keywords = g_strdupv ((char **) keywords);
  g_assert_cmpint (cachet_store_apply_action (store, unflag, NULL, &error), >, id);
  g_assert_no_error (error);
  g_assert_cmphex (message_flags (store, "INBOX", 1), ==, CACHET_MESSAGE_FLAG_SEEN);
  info = cachet_store_get_message (store, "INBOX", 1, &error);
  g_assert_cmpuint (g_strv_length ((char **) cachet_message_info_get_keywords (info)), ==, 0);

  actions = cachet_store_list_pending_actions (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (actions->len, ==, 2);
  queued = g_ptr_array_index (actions, 0);
  g_assert_cmpint (queued->id, ==, id);
  g_assert_cmpint (queued->kind, ==, CACHET_PENDING_ACTION_ADD_FLAGS);
  g_assert_cmpuint (queued->uids->len, ==, 3);
  g_assert_cmphex (queued->flags, ==, CACHET_MESSAGE_FLAG_SEEN);
  g_assert_cmpstrv (queued->keywords, keywords);
  queued = g_ptr_array_index (actions, 1);
  g_assert_cmpint (queued->kind, ==, CACHET_PENDING_ACTION_REMOVE_FLAGS);

  /* The Maildir says the same, for a reindex. */
  g_assert_true (cachet_store_reindex (store, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmphex (message_flags (store, "INBOX", 2), ==, CACHET_MESSAGE_FLAG_SEEN);
  g_assert_cmpuint (unread_count (store, "INBOX"), ==, 1);
}

static void
test_apply_move (void)
{
  g_autoptr(CachetStore) store = store_test_open ("apply-move");
  g_autoptr(CachetPendingAction) move = NULL;
  g_autoptr(GPtrArray) actions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cur = NULL;
  g_autofree char *left = NULL;
  const guint32 uids[] = { 2, 3 };
  CachetPendingAction *queued;

  store_test_add_folder (store, "INBOX", NULL, UIDVALIDITY);
  store_test_add_folder (store, "Archives", NULL, UIDVALIDITY);
  for (guint32 uid = 1; uid <= 3; uid++)
    add_message (store, "INBOX", uid, "m@example.org", CACHET_MESSAGE_FLAG_NONE);

  move = new_action (CACHET_PENDING_ACTION_MOVE, "INBOX", uids, G_N_ELEMENTS (uids));
  move->target_folder = g_strdup ("Archives");
  g_assert_cmpint (cachet_store_apply_action (store, move, NULL, &error), >, 0);
  g_assert_no_error (error);

  /* Gone from the list, the counts and the disk at once; the target shows
   * them once the server has them. */
  left = listed_uids (store, "INBOX");
  g_assert_cmpstr (left, ==, "1");
  g_assert_cmpuint (unread_count (store, "INBOX"), ==, 1);
  g_assert_cmpint (cachet_store_count_messages (store, "Archives", &error), ==, 0);
  cur = folder_cur_dir (store, "INBOX");
  g_assert_cmpuint (count_dir (cur), ==, 1);

  actions = cachet_store_list_pending_actions (store, &error);
  g_assert_cmpuint (actions->len, ==, 1);
  queued = g_ptr_array_index (actions, 0);
  g_assert_cmpint (queued->kind, ==, CACHET_PENDING_ACTION_MOVE);
  g_assert_cmpstr (queued->target_folder, ==, "Archives");
  g_assert_cmpuint (queued->uids->len, ==, 2);
}

/* Whatever fails, nothing is half done: neither the local change without
 * the queued action nor the other way round. */
static void
test_apply_atomic (void)
{
  g_autoptr(CachetStore) store = store_test_open ("apply-atomic");
  g_autoptr(CachetPendingAction) nowhere = NULL;
  g_autoptr(CachetPendingAction) seen = NULL;
  g_autoptr(CachetPendingAction) stale = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *index = NULL;
  g_autofree char *left = NULL;
  g_autofree char *cur = NULL;
  const guint32 uids[] = { 1, 2 };
  sqlite3 *db = NULL;

  store_test_add_folder (store, "INBOX", NULL, UIDVALIDITY);
  add_message (store, "INBOX", 1, "one@example.org", CACHET_MESSAGE_FLAG_NONE);
  add_message (store, "INBOX", 2, "two@example.org", CACHET_MESSAGE_FLAG_NONE);

  /* The queueing fails after the messages were taken out of the list. */
  nowhere = new_action (CACHET_PENDING_ACTION_MOVE, "INBOX", uids, G_N_ELEMENTS (uids));
  nowhere->target_folder = g_strdup ("Nulle part");
  g_assert_cmpint (cachet_store_apply_action (store, nowhere, NULL, &error), ==, 0);
  g_assert_error (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  left = listed_uids (store, "INBOX");
  g_assert_cmpstr (left, ==, "1,2");
  cur = folder_cur_dir (store, "INBOX");
  g_assert_cmpuint (count_dir (cur), ==, 2);
  g_assert_cmpuint (count_pending (store), ==, 0);

  /* The database refuses the queued row, after the flags were written. */
  index = g_build_filename (cachet_store_get_account_dir (store), "index.sqlite", NULL);
  g_assert_cmpint (sqlite3_open_v2 (index, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "CREATE TRIGGER refuse BEFORE INSERT ON pending_actions "
                                 "BEGIN SELECT RAISE (ABORT, 'disk full'); END",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  seen = new_action (CACHET_PENDING_ACTION_ADD_FLAGS, "INBOX", uids, G_N_ELEMENTS (uids));
  seen->flags = CACHET_MESSAGE_FLAG_SEEN;
  g_assert_cmpint (cachet_store_apply_action (store, seen, NULL, &error), ==, 0);
  g_assert_error (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_cmphex (message_flags (store, "INBOX", 1), ==, CACHET_MESSAGE_FLAG_NONE);
  g_assert_cmpuint (unread_count (store, "INBOX"), ==, 2);
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER refuse", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_cmpuint (count_pending (store), ==, 0);

  /* UIDs of another UIDVALIDITY name nothing here. */
  stale = new_action (CACHET_PENDING_ACTION_DELETE, "INBOX", uids, 1);
  stale->uidvalidity = UIDVALIDITY - 1;
  g_assert_cmpint (cachet_store_apply_action (store, stale, NULL, &error), ==, 0);
  g_assert_error (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_UIDVALIDITY);
  g_clear_pointer (&left, g_free);
  left = listed_uids (store, "INBOX");
  g_assert_cmpstr (left, ==, "1,2");
  g_assert_cmpuint (count_pending (store), ==, 0);
}

static void
assert_delete_action (CachetStore             *store,
                      const char              *folder,
                      CachetPendingActionKind  kind,
                      const char              *target)
{
  g_autoptr(CachetPendingAction) action = NULL;
  g_autoptr(GError) error = NULL;
  const guint32 uids[] = { 4, 5 };

  action = cachet_store_new_delete_action (store, folder, UIDVALIDITY, uids, G_N_ELEMENTS (uids),
                                           &error);
  g_assert_no_error (error);
  g_assert_cmpint (action->kind, ==, kind);
  g_assert_cmpstr (action->folder, ==, folder);
  g_assert_cmpstr (action->target_folder, ==, target);
  g_assert_cmpuint (action->uidvalidity, ==, UIDVALIDITY);
  g_assert_cmpuint (action->uids->len, ==, 2);
}

static void
test_delete_rule (void)
{
  g_autoptr(CachetStore) without_trash = store_test_open ("delete-no-trash");
  g_autoptr(CachetStore) store = store_test_open ("delete-rule");
  g_autoptr(CachetPendingAction) action = NULL;
  g_autoptr(GError) error = NULL;
  const guint32 uid = 1;

  store_test_add_folder (without_trash, "INBOX", NULL, UIDVALIDITY);
  assert_delete_action (without_trash, "INBOX", CACHET_PENDING_ACTION_DELETE, NULL);

  store_test_add_folder (store, "INBOX", NULL, UIDVALIDITY);
  store_test_add_folder (store, "Corbeille", "\\Trash", UIDVALIDITY);
  assert_delete_action (store, "INBOX", CACHET_PENDING_ACTION_MOVE, "Corbeille");
  assert_delete_action (store, "Corbeille", CACHET_PENDING_ACTION_DELETE, NULL);

  action = cachet_store_new_delete_action (store, "Inconnu", UIDVALIDITY, &uid, 1, &error);
  g_assert_error (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_NOT_FOUND);
  g_assert_null (action);
}

/* A draft saved again replaces its previous version; one discarded goes,
 * found by its Message-ID, whatever its UID. */
static void
test_message_id_actions (void)
{
  g_autoptr(CachetStore) store = store_test_open ("message-id");
  g_autoptr(CachetPendingAction) save = NULL;
  g_autoptr(CachetPendingAction) discard = NULL;
  g_autoptr(GBytes) draft = g_bytes_new_static (DRAFT_V2, sizeof DRAFT_V2 - 1);
  g_autoptr(GPtrArray) actions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *left = NULL;
  CachetPendingAction *queued;

  store_test_add_folder (store, "Drafts", "\\Drafts", UIDVALIDITY);
  add_message (store, "Drafts", 1, "draft-a@example.org", CACHET_MESSAGE_FLAG_DRAFT);
  add_message (store, "Drafts", 2, "draft-b@example.org", CACHET_MESSAGE_FLAG_DRAFT);
  add_message (store, "Drafts", 3, "draft-a-old@example.org", CACHET_MESSAGE_FLAG_DRAFT);

  save = cachet_pending_action_new (CACHET_PENDING_ACTION_APPEND, "Drafts");
  save->flags = CACHET_MESSAGE_FLAG_DRAFT | CACHET_MESSAGE_FLAG_SEEN;
  save->message_id = g_strdup ("<draft-a@example.org>");
  g_assert_cmpint (cachet_store_apply_action (store, save, draft, &error), >, 0);
  g_assert_no_error (error);
  left = listed_uids (store, "Drafts");
  g_assert_cmpstr (left, ==, "2,3");

  /* Without angle brackets: the same id. */
  discard = cachet_pending_action_new (CACHET_PENDING_ACTION_DELETE_BY_MESSAGE_ID, "Drafts");
  discard->message_id = g_strdup ("draft-b@example.org");
  g_assert_cmpint (cachet_store_apply_action (store, discard, NULL, &error), >, 0);
  g_assert_no_error (error);
  g_clear_pointer (&left, g_free);
  left = listed_uids (store, "Drafts");
  g_assert_cmpstr (left, ==, "3");

  actions = cachet_store_list_pending_actions (store, &error);
  g_assert_cmpuint (actions->len, ==, 2);
  queued = g_ptr_array_index (actions, 0);
  g_assert_cmpint (queued->kind, ==, CACHET_PENDING_ACTION_APPEND);
  g_assert_cmpstr (queued->message_id, ==, "<draft-a@example.org>");
  g_assert_cmphex (queued->flags, ==, CACHET_MESSAGE_FLAG_DRAFT | CACHET_MESSAGE_FLAG_SEEN);
  queued = g_ptr_array_index (actions, 1);
  g_assert_cmpint (queued->kind, ==, CACHET_PENDING_ACTION_DELETE_BY_MESSAGE_ID);
  g_assert_cmpstr (queued->message_id, ==, "draft-b@example.org");
  g_assert_cmpuint (queued->uids->len, ==, 0);
}

/* Every kind, and the Message-ID, read back as queued. */
static void
test_kinds_round_trip (void)
{
  g_autoptr(CachetStore) store = store_test_open ("kinds");
  g_autoptr(GBytes) raw = g_bytes_new_static (DRAFT_V2, sizeof DRAFT_V2 - 1);
  g_autoptr(GPtrArray) actions = NULL;
  g_autoptr(GError) error = NULL;
  const guint32 uid = 7;

  store_test_add_folder (store, "INBOX", NULL, UIDVALIDITY);
  store_test_add_folder (store, "Archives", NULL, UIDVALIDITY);
  for (CachetPendingActionKind kind = CACHET_PENDING_ACTION_ADD_FLAGS;
       kind <= CACHET_PENDING_ACTION_DELETE_BY_MESSAGE_ID; kind++)
    {
      g_autoptr(CachetPendingAction) action = cachet_pending_action_new (kind, "INBOX");
      gboolean on_uids = kind != CACHET_PENDING_ACTION_APPEND &&
                         kind != CACHET_PENDING_ACTION_DELETE_BY_MESSAGE_ID;

      action->uidvalidity = UIDVALIDITY;
      if (on_uids)
        g_array_append_val (action->uids, uid);
      else
        action->message_id = g_strdup_printf ("<kind-%d@example.org>", kind);
      if (kind == CACHET_PENDING_ACTION_ADD_FLAGS || kind == CACHET_PENDING_ACTION_REMOVE_FLAGS)
        action->flags = CACHET_MESSAGE_FLAG_FLAGGED;
      if (kind == CACHET_PENDING_ACTION_MOVE)
        action->target_folder = g_strdup ("Archives");
      g_assert_cmpint (cachet_store_queue_action (store, action,
                                                  kind == CACHET_PENDING_ACTION_APPEND ? raw : NULL,
                                                  &error), >, 0);
      g_assert_no_error (error);
    }

  actions = cachet_store_list_pending_actions (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (actions->len, ==, CACHET_PENDING_ACTION_DELETE_BY_MESSAGE_ID + 1);
  for (guint i = 0; i < actions->len; i++)
    {
      CachetPendingAction *action = g_ptr_array_index (actions, i);

      g_assert_cmpint (action->kind, ==, (CachetPendingActionKind) i);
      g_assert_cmpint (action->state, ==, CACHET_PENDING_ACTION_QUEUED);
      if (action->kind == CACHET_PENDING_ACTION_APPEND ||
          action->kind == CACHET_PENDING_ACTION_DELETE_BY_MESSAGE_ID)
        {
          g_autofree char *expected = g_strdup_printf ("<kind-%u@example.org>", i);

          g_assert_cmpstr (action->message_id, ==, expected);
        }
      else
        {
          g_assert_null (action->message_id);
        }
    }
  g_assert_cmpstr (cachet_pending_action_kind_to_string (CACHET_PENDING_ACTION_DELETE_BY_MESSAGE_ID),
                   ==, "delete-by-message-id");
  g_assert_cmpstr (cachet_pending_action_state_to_string (CACHET_PENDING_ACTION_IN_PROGRESS),
                   ==, "in-progress");
}

/* What would break the quoted string of UID SEARCH HEADER is refused when
 * queued, as is a Message-ID on an action that has no use for one. */
static void
test_message_id_refused (void)
{
  const char *bad_ids[] = {
    "", "<a\r\nb@example.org>", "<a\nb@example.org>", "<a\"b@example.org>", "<a\\b@example.org>",
    "<a b@example.org>", "<é@example.org>",
  };
  g_autoptr(CachetStore) store = store_test_open ("message-id-refused");
  g_autoptr(CachetPendingAction) move = NULL;
  g_autoptr(GError) error = NULL;
  const guint32 uid = 1;

  store_test_add_folder (store, "Drafts", NULL, UIDVALIDITY);
  for (guint i = 0; i < G_N_ELEMENTS (bad_ids); i++)
    {
      g_autoptr(CachetPendingAction) action =
        cachet_pending_action_new (CACHET_PENDING_ACTION_DELETE_BY_MESSAGE_ID, "Drafts");

      action->message_id = g_strdup (bad_ids[i]);
      g_assert_cmpint (cachet_store_queue_action (store, action, NULL, &error), ==, 0);
      g_assert_error (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_INVALID);
      g_clear_error (&error);
      g_assert_cmpint (cachet_store_apply_action (store, action, NULL, &error), ==, 0);
      g_assert_error (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_INVALID);
      g_clear_error (&error);
    }

  move = new_action (CACHET_PENDING_ACTION_MOVE, "Drafts", &uid, 1);
  move->target_folder = g_strdup ("Drafts");
  move->message_id = g_strdup ("<ok@example.org>");
  g_assert_cmpint (cachet_store_queue_action (store, move, NULL, &error), ==, 0);
  g_assert_error (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_INVALID);
  g_assert_cmpuint (count_pending (store), ==, 0);
}

static void
exec_sql (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* An index written by the first version, with actions queued and the last
 * one completed, keeps them and its counter. */
static void
test_migrate_from_0001 (void)
{
  g_autofree char *account_dir = g_build_filename (cachet_paths_get_data_dir (), "accounts",
                                                   "from-0001", NULL);
  g_autofree char *index = g_build_filename (account_dir, "index.sqlite", NULL);
  g_autofree char *schema_path = g_test_build_filename (G_TEST_DIST, "..", "src", "engine", "store",
                                                        "migrations", "0001-initial.sql", NULL);
  g_autofree char *schema = NULL;
  g_autoptr(CachetStore) store = NULL;
  g_autoptr(CachetPendingAction) discard = NULL;
  g_autoptr(GPtrArray) actions = NULL;
  g_autoptr(GError) error = NULL;
  CachetPendingAction *action;
  sqlite3 *db = NULL;

  g_assert_true (g_file_get_contents (schema_path, &schema, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (account_dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open_v2 (index, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                   ==, SQLITE_OK);
  exec_sql (db, schema);
  exec_sql (db,
            "PRAGMA user_version = 1;"
            "INSERT INTO folders (id, name, uidvalidity) VALUES (1, 'INBOX', 1700000000), "
            "  (2, 'Archives', 1700000000);"
            "INSERT INTO pending_actions (kind, state, folder_id, uidvalidity, uids, flags, "
            "  created) VALUES ('add-flags', 'failed', 1, 1700000000, '4,5', 1, 1);"
            "INSERT INTO pending_actions (kind, folder_id, uidvalidity, uids, target_folder_id, "
            "  attempts, created) VALUES ('move', 1, 1700000000, '6', 2, 2, 2);"
            "INSERT INTO pending_actions (kind, folder_id, uidvalidity, uids, created) "
            "  VALUES ('delete', 1, 1700000000, '7', 3);"
            "DELETE FROM pending_actions WHERE id = 3;");
  sqlite3_close (db);

  store = store_test_open ("from-0001");
  actions = cachet_store_list_pending_actions (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (actions->len, ==, 2);
  action = g_ptr_array_index (actions, 0);
  g_assert_cmpint (action->id, ==, 1);
  g_assert_cmpint (action->kind, ==, CACHET_PENDING_ACTION_ADD_FLAGS);
  g_assert_cmpint (action->state, ==, CACHET_PENDING_ACTION_FAILED);
  g_assert_cmpuint (action->uids->len, ==, 2);
  g_assert_null (action->message_id);
  action = g_ptr_array_index (actions, 1);
  g_assert_cmpint (action->id, ==, 2);
  g_assert_cmpint (action->kind, ==, CACHET_PENDING_ACTION_MOVE);
  g_assert_cmpstr (action->target_folder, ==, "Archives");
  g_assert_cmpuint (action->attempts, ==, 2);

  /* Ids go on from where they were: 3 was used. */
  discard = cachet_pending_action_new (CACHET_PENDING_ACTION_DELETE_BY_MESSAGE_ID, "INBOX");
  discard->message_id = g_strdup ("<new@example.org>");
  g_assert_cmpint (cachet_store_queue_action (store, discard, NULL, &error), ==, 4);
  g_assert_no_error (error);
}

static void
apply_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  gint64 *id = user_data;
  g_autoptr(GError) error = NULL;

  *id = cachet_store_apply_action_finish (CACHET_STORE (source), result, &error);
  g_assert_no_error (error);
}

static void
test_apply_async (void)
{
  g_autoptr(CachetStore) store = store_test_open ("apply-async");
  g_autoptr(CachetPendingAction) seen = NULL;
  const guint32 uid = 1;
  gint64 id = -1;

  store_test_add_folder (store, "INBOX", NULL, UIDVALIDITY);
  add_message (store, "INBOX", 1, "one@example.org", CACHET_MESSAGE_FLAG_NONE);
  seen = new_action (CACHET_PENDING_ACTION_ADD_FLAGS, "INBOX", &uid, 1);
  seen->flags = CACHET_MESSAGE_FLAG_SEEN;
  cachet_store_apply_action_async (store, seen, NULL, NULL, apply_cb, &id);
  /* The call copied the action. */
  g_clear_pointer (&seen, cachet_pending_action_free);
  while (id < 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpint (id, >, 0);
  g_assert_cmphex (message_flags (store, "INBOX", 1), ==, CACHET_MESSAGE_FLAG_SEEN);
  g_assert_cmpuint (count_pending (store), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init (&argc, &argv);

  g_test_add_func ("/store/actions/apply-flags", test_apply_flags);
  g_test_add_func ("/store/actions/apply-move", test_apply_move);
  g_test_add_func ("/store/actions/apply-atomic", test_apply_atomic);
  g_test_add_func ("/store/actions/delete-rule", test_delete_rule);
  g_test_add_func ("/store/actions/message-id", test_message_id_actions);
  g_test_add_func ("/store/actions/kinds-round-trip", test_kinds_round_trip);
  g_test_add_func ("/store/actions/message-id-refused", test_message_id_refused);
  g_test_add_func ("/store/actions/migrate-from-0001", test_migrate_from_0001);
  g_test_add_func ("/store/actions/apply-async", test_apply_async);

  return g_test_run ();
}
