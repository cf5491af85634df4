/* test-message-list.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The list models the window shows: folders in their order, and a folder's
 * messages read lazily, newest first.
 */

#include "config.h"

#include "cachet-folder-list.h"
#include "cachet-message-list.h"
#include "cachet-mime.h"
#include "cachet-test-utils.h"

#define UIDVALIDITY 42
#define N_MESSAGES  300

static CachetStore *
open_store (const char *name)
{
  g_autofree char *base = g_build_filename (g_get_user_data_dir (), name, NULL);
  g_autoptr(GError) error = NULL;
  CachetStore *store = cachet_store_new (base, "account", NULL, &error);

  g_assert_no_error (error);
  return store;
}

static void
add_folder (CachetStore *store,
            const char  *name,
            const char  *special_use)
{
  CachetFolderInfo info = {
    .name = (char *) name,
    .special_use = (char *) special_use,
    .uidvalidity = UIDVALIDITY,
  };
  g_autoptr(GError) error = NULL;

  g_assert_true (cachet_store_upsert_folder (store, &info, &error));
  g_assert_no_error (error);
}

static void
add_message (CachetStore *store,
             guint32      uid)
{
  g_autofree char *text = g_strdup_printf ("From: Labo <labo@demo.cachet.test>\r\n"
                                           "Subject: Résultat %u\r\n"
                                           "Date: Thu, 15 Jan 2026 10:30:00 +0100\r\n"
                                           "\r\n"
                                           "Corps %u\r\n", uid, uid);
  g_autoptr(GBytes) raw = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(CachetMessageInfo) info =
    cachet_store_add_message (store, "INBOX", UIDVALIDITY, uid, raw, 0, NULL,
                              1768467000 + uid * 60, 0, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (info);
}

static void
test_folder_list_order (void)
{
  g_autoptr(CachetStore) store = open_store ("folders");
  g_autoptr(CachetFolderList) folders = cachet_folder_list_new (store);
  g_autoptr(GError) error = NULL;
  const char *const expected[] = { "INBOX", "Brouillons", "Envoyés", "Corbeille", "Archives 2025", "Résultats labo", "zz" };

  add_folder (store, "zz", NULL);
  add_folder (store, "Corbeille", "\\Trash");
  add_folder (store, "Résultats labo", NULL);
  add_folder (store, "Envoyés", "\\Sent");
  add_folder (store, "INBOX", NULL);
  add_folder (store, "Archives 2025", NULL);
  add_folder (store, "Brouillons", "\\Drafts");

  g_assert_true (cachet_folder_list_reload (folders, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (folders)), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(CachetFolder) folder = g_list_model_get_item (G_LIST_MODEL (folders), i);

      g_assert_cmpstr (cachet_folder_get_name (folder), ==, expected[i]);
    }
}

static void
count_changes (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               gpointer    user_data)
{
  guint *changes = user_data;

  g_assert_cmpuint (position, ==, 0);
  changes[0] += removed;
  changes[1] += added;
}

static void
test_message_list_lazy_newest_first (void)
{
  g_autoptr(CachetStore) store = open_store ("messages");
  g_autoptr(CachetMessageList) list = cachet_message_list_new (store, "INBOX");
  g_autoptr(GError) error = NULL;
  guint changes[2] = { 0, 0 };

  add_folder (store, "INBOX", NULL);
  for (guint32 uid = 1; uid <= N_MESSAGES; uid++)
    add_message (store, uid);

  g_signal_connect (list, "items-changed", G_CALLBACK (count_changes), changes);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_true (cachet_message_list_reload (list, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes[0], ==, 0);
  g_assert_cmpuint (changes[1], ==, N_MESSAGES);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_MESSAGES);

  /* Newest first, across page boundaries, in any order of access. */
  for (int position = N_MESSAGES - 1; position >= 0; position -= 7)
    {
      g_autoptr(CachetMessageInfo) info = g_list_model_get_item (G_LIST_MODEL (list), position);

      g_assert_cmpuint (cachet_message_info_get_uid (info), ==, N_MESSAGES - position);
    }
  {
    g_autoptr(CachetMessageInfo) first = g_list_model_get_item (G_LIST_MODEL (list), 0);
    g_autoptr(CachetMessageInfo) again = g_list_model_get_item (G_LIST_MODEL (list), 0);

    g_assert_cmpuint (cachet_message_info_get_uid (first), ==, N_MESSAGES);
    g_assert_true (first == again);
  }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), N_MESSAGES));

  /* A new message: the list is counted again and the rows read anew. */
  add_message (store, N_MESSAGES + 1);
  g_assert_true (cachet_message_list_reload (list, &error));
  g_assert_cmpuint (changes[0], ==, N_MESSAGES);
  g_assert_cmpuint (changes[1], ==, 2 * N_MESSAGES + 1);
  {
    g_autoptr(CachetMessageInfo) newest = g_list_model_get_item (G_LIST_MODEL (list), 0);

    g_assert_cmpuint (cachet_message_info_get_uid (newest), ==, N_MESSAGES + 1);
    g_assert_cmpstr (cachet_message_info_get_subject (newest), ==, "Résultat 301");
  }
}

/* After a reload a selected message is found again near where it was, even
 * when new mail pushed it onto another page; one far away is not looked for. */
static void
test_message_list_find (void)
{
  g_autoptr(CachetStore) store = open_store ("find");
  g_autoptr(CachetMessageList) list = cachet_message_list_new (store, "INBOX");
  g_autoptr(GError) error = NULL;
  guint position = G_MAXUINT;

  add_folder (store, "INBOX", NULL);
  for (guint32 uid = 1; uid <= N_MESSAGES; uid++)
    add_message (store, uid);
  g_assert_true (cachet_message_list_reload (list, &error));
  g_assert_no_error (error);

  /* Newest first: UID 250 is at 50. */
  g_assert_true (cachet_message_list_find (list, 250, 50, &position));
  g_assert_cmpuint (position, ==, N_MESSAGES - 250);

  for (guint32 uid = N_MESSAGES + 1; uid <= N_MESSAGES + 100; uid++)
    add_message (store, uid);
  g_assert_true (cachet_message_list_reload (list, &error));
  g_assert_true (cachet_message_list_find (list, 250, 50, &position));
  g_assert_cmpuint (position, ==, N_MESSAGES + 100 - 250);
  g_assert_true (cachet_message_list_find (list, 1, N_MESSAGES, &position));
  g_assert_cmpuint (position, ==, N_MESSAGES + 99);

  g_assert_false (cachet_message_list_find (list, 12345, 0, &position));
}

static void
test_store_list_uids (void)
{
  g_autoptr(CachetStore) store = open_store ("uids");
  g_autoptr(GArray) uids = NULL;
  g_autoptr(GArray) stale = NULL;
  g_autoptr(GError) error = NULL;
  const guint32 added[] = { 7, 3, 250, 1 };

  add_folder (store, "INBOX", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (added); i++)
    add_message (store, added[i]);

  uids = cachet_store_list_uids (store, "INBOX", UIDVALIDITY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (uids->len, ==, 4);
  g_assert_cmpuint (g_array_index (uids, guint32, 0), ==, 1);
  g_assert_cmpuint (g_array_index (uids, guint32, 1), ==, 3);
  g_assert_cmpuint (g_array_index (uids, guint32, 2), ==, 7);
  g_assert_cmpuint (g_array_index (uids, guint32, 3), ==, 250);

  /* UIDs of another UIDVALIDITY are other messages. */
  stale = cachet_store_list_uids (store, "INBOX", UIDVALIDITY + 1, &error);
  g_assert_null (stale);
  g_assert_error (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_UIDVALIDITY);
}

static void
test_message_list_unknown_folder (void)
{
  g_autoptr(CachetStore) store = open_store ("unknown");
  g_autoptr(CachetMessageList) list = cachet_message_list_new (store, "Nowhere");
  g_autoptr(GError) error = NULL;

  g_assert_false (cachet_message_list_reload (list, &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init (&argc, &argv);
  cachet_mime_init ();

  g_test_add_func ("/store/folder-list/order", test_folder_list_order);
  g_test_add_func ("/store/message-list/lazy-newest-first", test_message_list_lazy_newest_first);
  g_test_add_func ("/store/message-list/find", test_message_list_find);
  g_test_add_func ("/store/message-list/unknown-folder", test_message_list_unknown_folder);
  g_test_add_func ("/store/uids/list", test_store_list_uids);

  return g_test_run ();
}
