/* test-accounts.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sys/stat.h>

#include "cachet-account-list.h"
#include "cachet-test-utils.h"

typedef struct
{
  const char *name;
  const char *address;
  const char *imap;
  const char *smtp;
  const char *login;
  gboolean    valid;
} AccountCase;

static const AccountCase account_cases[] = {
  { "Cabinet", "dr.martin@demo.cachet.test", "imaps://imap.demo.cachet.test", "smtps://smtp.demo.cachet.test", NULL, TRUE },
  { "STARTTLS", "a@b.fr", "imap://imap.b.fr:143", "smtp://smtp.b.fr:587", "a", TRUE },
  { "IPv6", "a@b.fr", "imaps://[::1]:9993", "smtps://[::1]:4465/", NULL, TRUE },
  { "Accents é", "sécrétariat@hôpital.fr", "imaps://imap.hôpital.fr", "smtps://smtp.hôpital.fr", NULL, TRUE },
  { "", "a@b.fr", "imaps://h.fr", "smtps://h.fr", NULL, FALSE },
  { "Two\nlines", "a@b.fr", "imaps://h.fr", "smtps://h.fr", NULL, FALSE },
  { "No at", "ab.fr", "imaps://h.fr", "smtps://h.fr", NULL, FALSE },
  { "Injected", "a@b.fr\r\nRCPT TO:<x@y.fr>", "imaps://h.fr", "smtps://h.fr", NULL, FALSE },
  { "List", "a@b.fr, c@d.fr", "imaps://h.fr", "smtps://h.fr", NULL, FALSE },
  { "Plain HTTP", "a@b.fr", "http://h.fr", "smtps://h.fr", NULL, FALSE },
  { "IMAP as SMTP", "a@b.fr", "imaps://h.fr", "imaps://h.fr", NULL, FALSE },
  { "User info", "a@b.fr", "imaps://user:pw@h.fr", "smtps://h.fr", NULL, FALSE },
  { "Path", "a@b.fr", "imaps://h.fr/INBOX", "smtps://h.fr", NULL, FALSE },
  { "No host", "a@b.fr", "imaps://", "smtps://h.fr", NULL, FALSE },
  { "Bad login", "a@b.fr", "imaps://h.fr", "smtps://h.fr", "a\tb", FALSE },
};

static CachetAccount *
account_from_case (const AccountCase *c)
{
  CachetAccount *account = cachet_account_new (c->name, c->address, c->imap, c->smtp);

  cachet_account_set_login (account, c->login);
  return account;
}

static void
test_account_validate (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (account_cases); i++)
    {
      g_autoptr(CachetAccount) account = account_from_case (&account_cases[i]);
      g_autoptr(GError) error = NULL;
      gboolean valid = cachet_account_validate (account, &error);

      g_test_message ("case “%s”", account_cases[i].name);
      g_assert_cmpint (valid, ==, account_cases[i].valid);
      if (valid)
        g_assert_no_error (error);
      else
        g_assert_error (error, CACHET_ACCOUNT_ERROR, CACHET_ACCOUNT_ERROR_INVALID);
    }
}

static char *
accounts_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "cachet", "accounts.ini", NULL);
}

static void
remove_accounts_file (void)
{
  g_autofree char *path = accounts_path ();

  g_unlink (path);
}

static void
test_account_list_round_trip (void)
{
  g_autoptr(CachetAccountList) list = cachet_account_list_new_default ();
  g_autoptr(CachetAccountList) reloaded = cachet_account_list_new_default ();
  g_autoptr(CachetAccount) account = account_from_case (&account_cases[1]);
  g_autoptr(CachetAccount) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = accounts_path ();
  GStatBuf st;

  remove_accounts_file ();
  g_assert_true (cachet_account_list_load (list, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);

  cachet_account_set_ca_file (account, "/etc/cachet/ca.pem");
  g_assert_true (cachet_account_list_add (list, account, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);

  /* Who the user is and which servers they use is nobody else's business. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  g_assert_true (cachet_account_list_load (reloaded, &error));
  g_assert_no_error (error);
  found = cachet_account_list_find_by_name (reloaded, "STARTTLS", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cachet_account_get_id (found), ==, cachet_account_get_id (account));
  g_assert_cmpstr (cachet_account_get_address (found), ==, "a@b.fr");
  g_assert_cmpstr (cachet_account_get_imap_url (found), ==, "imap://imap.b.fr:143");
  g_assert_cmpstr (cachet_account_get_smtp_url (found), ==, "smtp://smtp.b.fr:587");
  g_assert_cmpstr (cachet_account_get_login (found), ==, "a");
  g_assert_null (cachet_account_get_client_cert (found));
  g_assert_cmpstr (cachet_account_get_ca_file (found), ==, "/etc/cachet/ca.pem");

  g_assert_true (cachet_account_list_remove (reloaded, found, &error));
  g_assert_no_error (error);
  g_assert_true (cachet_account_list_load (list, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
}

static void
test_account_list_refuses_duplicates_and_invalid (void)
{
  g_autoptr(CachetAccountList) list = cachet_account_list_new_default ();
  g_autoptr(CachetAccount) first = account_from_case (&account_cases[0]);
  g_autoptr(CachetAccount) same_name = account_from_case (&account_cases[0]);
  g_autoptr(CachetAccount) invalid = account_from_case (&account_cases[7]);
  g_autoptr(GError) error = NULL;

  remove_accounts_file ();
  g_assert_true (cachet_account_list_load (list, &error));
  g_assert_true (cachet_account_list_add (list, first, &error));
  g_assert_no_error (error);

  g_assert_false (cachet_account_list_add (list, same_name, &error));
  g_assert_error (error, CACHET_ACCOUNT_ERROR, CACHET_ACCOUNT_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_false (cachet_account_list_add (list, invalid, &error));
  g_assert_error (error, CACHET_ACCOUNT_ERROR, CACHET_ACCOUNT_ERROR_INVALID);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
}

static void
test_account_list_damaged_file (void)
{
  g_autoptr(CachetAccountList) list = cachet_account_list_new_default ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = accounts_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  static const char damaged[] = "[1234]\nName=Cabinet\nAddress=not an address\nIMAP=imaps://h.fr\nSMTP=smtps://h.fr\n";

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, damaged, -1, NULL));

  g_autoptr(CachetAccount) account = account_from_case (&account_cases[0]);
  g_autofree char *after = NULL;

  g_assert_false (cachet_account_list_load (list, &error));
  g_assert_error (error, CACHET_ACCOUNT_ERROR, CACHET_ACCOUNT_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "Cabinet"));
  g_clear_error (&error);

  /* Adding an account must not write over what the user may still repair. */
  g_assert_false (cachet_account_list_add (list, account, &error));
  g_assert_error (error, CACHET_ACCOUNT_ERROR, CACHET_ACCOUNT_ERROR_CORRUPT);
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, damaged);
  remove_accounts_file ();
}

static void
test_cli_account_add_and_list (void)
{
  g_autoptr(CachetCliResult) added = NULL;
  g_autoptr(CachetCliResult) refused = NULL;
  g_autoptr(CachetCliResult) listed = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *accounts;
  JsonObject *account;

  remove_accounts_file ();
  added = cachet_test_run_cli ("account", "add", "--name", "Démo", "--address", "alice@demo.cachet.test",
                               "--imap", "imaps://localhost:9993", "--smtp", "smtp://localhost:9587",
                               "--client-cert", "pkcs11:token=CPS;object=auth", NULL);
  g_assert_cmpstr (added->err, ==, "");
  g_assert_cmpint (added->exit_status, ==, 0);

  refused = cachet_test_run_cli ("account", "add", "--name", "Démo", "--address", "bob@demo.cachet.test",
                                 "--imap", "imaps://localhost:9993", "--smtp", "smtp://localhost:9587", NULL);
  g_assert_cmpint (refused->exit_status, ==, 1);
  g_assert_nonnull (strstr (refused->err, "already called “Démo”"));

  listed = cachet_test_run_cli ("account", "list", "--json", NULL);
  g_assert_cmpint (listed->exit_status, ==, 0);
  json_parser_load_from_data (parser, listed->out, -1, &error);
  g_assert_no_error (error);
  accounts = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (accounts), ==, 1);
  account = json_array_get_object_element (accounts, 0);
  g_assert_cmpstr (json_object_get_string_member (account, "name"), ==, "Démo");
  g_assert_cmpstr (json_object_get_string_member (account, "address"), ==, "alice@demo.cachet.test");
  g_assert_cmpstr (json_object_get_string_member (account, "login"), ==, "alice@demo.cachet.test");
  g_assert_cmpstr (json_object_get_string_member (account, "client_cert"), ==, "pkcs11:token=CPS;object=auth");
  g_assert_true (json_object_get_null_member (account, "ca_file"));
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init (&argc, &argv);

  g_test_add_func ("/accounts/account/validate", test_account_validate);
  g_test_add_func ("/accounts/list/round-trip", test_account_list_round_trip);
  g_test_add_func ("/accounts/list/refuses-duplicates-and-invalid", test_account_list_refuses_duplicates_and_invalid);
  g_test_add_func ("/accounts/list/damaged-file", test_account_list_damaged_file);
  g_test_add_func ("/accounts/cli/add-and-list", test_cli_account_add_and_list);

  return g_test_run ();
}
