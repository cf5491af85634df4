/* test-secret-credentials.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs against a real gnome-keyring (see with-keyring.sh).
 */

#include "config.h"

#include "cachet-account-list.h"
#include "cachet-secret-credentials.h"
#include "cachet-test-utils.h"

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static char *
lookup (CachetCredentialsProvider *provider,
        const char                *account_id,
        CachetSecretKind           kind)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;

  cachet_credentials_provider_lookup_async (provider, account_id, kind, NULL, result_cb, &result);
  secret = cachet_credentials_provider_lookup_finish (provider, wait_for_result (&result), &error);
  g_assert_no_error (error);

  return secret;
}

static void
store (CachetCredentialsProvider *provider,
       const char                *account_id,
       CachetSecretKind           kind,
       const char                *secret)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  cachet_credentials_provider_store_async (provider, account_id, kind, secret, NULL, result_cb, &result);
  g_assert_true (cachet_credentials_provider_store_finish (provider, wait_for_result (&result), &error));
  g_assert_no_error (error);
}

static void
test_secret_store_lookup_clear (void)
{
  g_autoptr(CachetSecretCredentials) credentials = cachet_secret_credentials_new ();
  CachetCredentialsProvider *provider = CACHET_CREDENTIALS_PROVIDER (credentials);
  g_autoptr(GAsyncResult) cleared = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = NULL, *password = NULL, *replaced = NULL, *passphrase = NULL;
  g_autofree char *after_clear = NULL, *other_after_clear = NULL;

  missing = lookup (provider, "account-a", CACHET_SECRET_PASSWORD);
  g_assert_null (missing);

  store (provider, "account-a", CACHET_SECRET_PASSWORD, "mot de passe é");
  store (provider, "account-a", CACHET_SECRET_CERTIFICATE_PASSPHRASE, "phrase");
  store (provider, "account-b", CACHET_SECRET_PASSWORD, "other");
  password = lookup (provider, "account-a", CACHET_SECRET_PASSWORD);
  g_assert_cmpstr (password, ==, "mot de passe é");

  store (provider, "account-a", CACHET_SECRET_PASSWORD, "new");
  replaced = lookup (provider, "account-a", CACHET_SECRET_PASSWORD);
  g_assert_cmpstr (replaced, ==, "new");
  passphrase = lookup (provider, "account-a", CACHET_SECRET_CERTIFICATE_PASSPHRASE);
  g_assert_cmpstr (passphrase, ==, "phrase");

  cachet_credentials_provider_clear_async (provider, "account-a", NULL, result_cb, &cleared);
  g_assert_true (cachet_credentials_provider_clear_finish (provider, wait_for_result (&cleared), &error));
  g_assert_no_error (error);
  after_clear = lookup (provider, "account-a", CACHET_SECRET_CERTIFICATE_PASSPHRASE);
  g_assert_null (after_clear);
  other_after_clear = lookup (provider, "account-b", CACHET_SECRET_PASSWORD);
  g_assert_cmpstr (other_after_clear, ==, "other");
}

static void
test_cli_password_goes_to_keyring (void)
{
  g_autoptr(CachetSecretCredentials) credentials = cachet_secret_credentials_new ();
  g_autoptr(GSubprocess) cli = NULL;
  g_autoptr(CachetAccountList) accounts = cachet_account_list_new_default ();
  g_autoptr(CachetAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *accounts_file = NULL;
  g_autofree char *password = NULL;
  g_autofree char *err = NULL;

  cli = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                          g_getenv ("CACHET_CLI"), "account", "add", "--name", "Bob",
                          "--address", "bob@demo.cachet.test", "--imap", "imaps://localhost",
                          "--smtp", "smtps://localhost", "--password-stdin", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (cli, "s3cret passé\n", NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (g_subprocess_get_exit_status (cli), ==, 0);

  g_assert_true (cachet_account_list_load (accounts, &error));
  account = cachet_account_list_find_by_name (accounts, "Bob", &error);
  g_assert_no_error (error);
  password = lookup (CACHET_CREDENTIALS_PROVIDER (credentials), cachet_account_get_id (account),
                     CACHET_SECRET_PASSWORD);
  g_assert_cmpstr (password, ==, "s3cret passé");

  /* The password is in the keyring and nowhere in Cachet's own files. */
  accounts_file = g_build_filename (g_get_user_config_dir (), "cachet", "accounts.ini", NULL);
  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (accounts_file, &contents, NULL, NULL));
    g_assert_null (strstr (contents, "s3cret"));
  }
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init (&argc, &argv);

  g_test_add_func ("/secret/credentials/store-lookup-clear", test_secret_store_lookup_clear);
  g_test_add_func ("/secret/cli/password-goes-to-keyring", test_cli_password_goes_to_keyring);

  return g_test_run ();
}
