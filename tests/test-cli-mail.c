/* test-cli-mail.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * cachet-cli messages, show and reindex over mail stored by the engine.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cachet-account-list.h"
#include "cachet-mime.h"
#include "cachet-store.h"
#include "cachet-test-utils.h"

#define UIDVALIDITY 1700000000

static const char *const stored_messages[] = { "plain-utf8.eml", "attachment-nonascii.eml", "alternative.eml" };

static GBytes *
load_sample (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "store", "data", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

/* One account named "Cabinet" whose INBOX holds the sample messages with
 * UIDs 1, 2, 3, received a day apart. */
static CachetAccount *
set_up_account (void)
{
  g_autofree char *accounts_file = g_build_filename (g_get_user_config_dir (), "cachet", "accounts.ini", NULL);
  g_autoptr(CachetAccountList) accounts = cachet_account_list_new_default ();
  g_autoptr(CachetAccount) account = cachet_account_new ("Cabinet", "secretariat@demo.cachet.test",
                                                         "imaps://localhost", "smtps://localhost");
  g_autoptr(CachetStore) store = NULL;
  g_autoptr(GError) error = NULL;
  CachetFolderInfo inbox = { .name = (char *) "INBOX", .uidvalidity = UIDVALIDITY };

  g_unlink (accounts_file);
  g_assert_true (cachet_account_list_load (accounts, &error));
  g_assert_true (cachet_account_list_add (accounts, account, &error));
  g_assert_no_error (error);

  store = cachet_store_new (NULL, cachet_account_get_id (account), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cachet_store_upsert_folder (store, &inbox, &error));
  for (guint i = 0; i < G_N_ELEMENTS (stored_messages); i++)
    {
      g_autoptr(GBytes) raw = load_sample (stored_messages[i]);
      g_autoptr(CachetMessageInfo) info =
        cachet_store_add_message (store, "INBOX", UIDVALIDITY, i + 1, raw,
                                  i == 0 ? CACHET_MESSAGE_FLAG_SEEN : 0, NULL,
                                  1768467000 + i * 86400, 0, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (info);
    }

  return g_steal_pointer (&account);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
assert_lists_three_messages (void)
{
  g_autoptr(CachetCliResult) result = cachet_test_run_cli ("messages", "--account", "Cabinet", "--json", NULL);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *messages;
  JsonObject *oldest;

  g_assert_cmpstr (result->err, ==, "");
  g_assert_cmpint (result->exit_status, ==, 0);
  root = parse_json (result->out);
  messages = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (messages), ==, 3);

  /* Newest first: the message with UID 1 comes last. */
  oldest = json_array_get_object_element (messages, 2);
  g_assert_cmpint (json_object_get_int_member (oldest, "uid"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (oldest, "from_name"), ==, "Laboratoire Bio-Santé");
  g_assert_cmpstr (json_object_get_string_member (oldest, "subject"), ==, "Résultats d'analyses — dossier n°42");
  g_assert_true (json_object_get_boolean_member (oldest, "seen"));
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (messages, 1), "has_attachment"));
}

static void
test_cli_messages_and_show (void)
{
  G_GNUC_UNUSED g_autoptr(CachetAccount) account = set_up_account ();
  g_autoptr(CachetCliResult) shown = NULL;
  g_autoptr(CachetCliResult) raw = NULL;
  g_autoptr(CachetCliResult) missing = NULL;
  g_autoptr(GBytes) original = load_sample ("plain-utf8.eml");
  g_autoptr(JsonNode) root = NULL;
  JsonObject *message;

  assert_lists_three_messages ();

  shown = cachet_test_run_cli ("show", "--account", "Cabinet", "--uid", "1", "--json", NULL);
  g_assert_cmpint (shown->exit_status, ==, 0);
  root = parse_json (shown->out);
  message = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (message, "from"), ==,
                   "Laboratoire Bio-Santé <resultats@labo-biosante.mssante.fr>");
  g_assert_nonnull (strstr (json_object_get_string_member (message, "body"), "Hémoglobine : 13,2 g/dL"));

  /* --raw gives back exactly the bytes received. */
  raw = cachet_test_run_cli ("show", "--account", "Cabinet", "--uid", "1", "--raw", NULL);
  g_assert_cmpint (raw->exit_status, ==, 0);
  g_assert_cmpmem (raw->out, strlen (raw->out), g_bytes_get_data (original, NULL), g_bytes_get_size (original));

  missing = cachet_test_run_cli ("show", "--account", "Cabinet", "--uid", "99", NULL);
  g_assert_cmpint (missing->exit_status, ==, 1);
  g_assert_cmpstr (missing->out, ==, "");
  g_assert_cmpstr (missing->err, !=, "");
}

static void
test_cli_reindex_rebuilds_from_maildirs (void)
{
  g_autoptr(CachetAccount) account = set_up_account ();
  g_autofree char *index = g_build_filename (g_get_user_data_dir (), "cachet", "accounts",
                                             cachet_account_get_id (account), "index.sqlite", NULL);
  g_autoptr(CachetCliResult) reindexed = NULL;

  /* The index is derived data: losing it loses nothing. */
  g_assert_cmpint (g_unlink (index), ==, 0);
  reindexed = cachet_test_run_cli ("reindex", NULL);
  g_assert_cmpstr (reindexed->err, ==, "");
  g_assert_cmpint (reindexed->exit_status, ==, 0);
  g_assert_nonnull (strstr (reindexed->out, "Cabinet"));

  assert_lists_three_messages ();
}

static void
test_cli_messages_needs_an_account (void)
{
  g_autoptr(CachetCliResult) result = cachet_test_run_cli ("messages", NULL);

  g_assert_cmpint (result->exit_status, ==, 1);
  g_assert_nonnull (strstr (result->err, "--account"));
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init (&argc, &argv);
  cachet_mime_init ();

  g_test_add_func ("/cli/mail/messages-and-show", test_cli_messages_and_show);
  g_test_add_func ("/cli/mail/needs-an-account", test_cli_messages_needs_an_account);
  g_test_add_func ("/cli/mail/reindex-rebuilds-from-maildirs", test_cli_reindex_rebuilds_from_maildirs);

  return g_test_run ();
}
