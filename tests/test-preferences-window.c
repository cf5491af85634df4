/* test-preferences-window.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drives the real window on a real display (Xvfb) with a real keyring (see
 * run-in-session.sh).
 */

#include "config.h"

#include <string.h>

#include "cachet-preferences-window.h"
#include "cachet-secret-credentials.h"
#include "cachet-test-server.h"
#include "cachet-test-utils.h"
#include "cachet-test-widgets.h"

static char *
lookup_password (CachetCredentialsProvider *provider,
                 CachetAccount             *account)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *password;

  cachet_credentials_provider_lookup_async (provider, cachet_account_get_id (account),
                                            CACHET_SECRET_PASSWORD, NULL, cachet_test_result_cb, &result);
  password = cachet_credentials_provider_lookup_finish (provider, cachet_test_wait_result (&result), &error);
  g_assert_no_error (error);

  return password;
}

static void
store_password (CachetCredentialsProvider *provider,
                CachetAccount             *account,
                const char                *password)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  cachet_credentials_provider_store_async (provider, cachet_account_get_id (account),
                                           CACHET_SECRET_PASSWORD, password, NULL, cachet_test_result_cb, &result);
  g_assert_true (cachet_credentials_provider_store_finish (provider, cachet_test_wait_result (&result), &error));
  g_assert_no_error (error);
}

static void
test_remove_account_forgets_password (void)
{
  g_autoptr(CachetAccountList) accounts = cachet_account_list_new_default ();
  g_autoptr(CachetSecretCredentials) secrets = cachet_secret_credentials_new ();
  CachetCredentialsProvider *credentials = CACHET_CREDENTIALS_PROVIDER (secrets);
  g_autoptr(CachetAccount) account = cachet_account_new ("Cabinet", "secretariat@demo.cachet.test",
                                                         "imaps://localhost", "smtps://localhost");
  g_autoptr(GError) error = NULL;
  g_autofree char *password_after = NULL;
  CachetPreferencesWindow *preferences;
  AdwMessageDialog *dialog;
  GtkWidget *remove;

  g_assert_true (cachet_account_list_load (accounts, &error));
  g_assert_true (cachet_account_list_add (accounts, account, &error));
  g_assert_no_error (error);
  store_password (credentials, account, "secret");

  preferences = cachet_preferences_window_new (accounts, credentials);
  gtk_window_present (GTK_WINDOW (preferences));

  remove = cachet_test_find_widget (GTK_WIDGET (preferences), cachet_test_is_button_with_tooltip,
                                    "Remove “Cabinet”");
  g_assert_nonnull (remove);
  g_signal_emit_by_name (remove, "clicked");
  dialog = cachet_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  /* The user is told what goes and what stays (the application deletes the
   * local copy: see test-application). */
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Its mail is deleted from this computer"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "the messages on the mail server are kept"));

  /* Cancelling keeps everything. */
  adw_message_dialog_response (dialog, "cancel");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (accounts)), ==, 1);

  g_signal_emit_by_name (remove, "clicked");
  dialog = cachet_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  adw_message_dialog_response (dialog, "remove");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (accounts)), ==, 0);

  /* The keyring is cleared asynchronously: wait until the password is gone. */
  for (guint attempt = 0; attempt < 100; attempt++)
    {
      g_clear_pointer (&password_after, g_free);
      password_after = lookup_password (credentials, account);
      if (password_after == NULL)
        break;
      g_usleep (50000);
    }
  g_assert_null (password_after);

  gtk_window_destroy (GTK_WINDOW (preferences));
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init_gui (&argc, &argv);

  g_test_add_func ("/gui/preferences/remove-account-forgets-password", test_remove_account_forgets_password);

  return g_test_run ();
}
