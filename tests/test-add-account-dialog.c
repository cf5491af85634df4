/* test-add-account-dialog.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drives the real dialog on a real display (Xvfb) with a real keyring (see
 * run-in-session.sh).
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "cachet-add-account-dialog.h"
#include "cachet-secret-credentials.h"
#include "cachet-test-operator.h"
#include "cachet-test-utils.h"

typedef struct
{
  CachetAccountList       *accounts;
  CachetSecretCredentials *credentials;
  CachetAddAccountDialog  *dialog;
} Fixture;

static gpointer
child (Fixture    *fixture,
       const char *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (fixture->dialog),
                                        CACHET_TYPE_ADD_ACCOUNT_DIALOG, name);
}

static void
set_text (Fixture    *fixture,
          const char *row,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (fixture, row)), text);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "cachet", "accounts.ini", NULL);

  g_remove (path);
  fixture->accounts = cachet_account_list_new_default ();
  g_assert_true (cachet_account_list_load (fixture->accounts, &error));
  g_assert_no_error (error);
  fixture->credentials = cachet_secret_credentials_new ();
  fixture->dialog = g_object_ref_sink (cachet_add_account_dialog_new (fixture->accounts,
                                                                      CACHET_CREDENTIALS_PROVIDER (fixture->credentials)));
  gtk_window_present (GTK_WINDOW (fixture->dialog));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->dialog));
  g_clear_object (&fixture->dialog);
  g_clear_object (&fixture->credentials);
  g_clear_object (&fixture->accounts);
}

static gboolean
timed_out_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
iterate_until (gboolean (*done) (Fixture *),
               Fixture  *fixture)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add_seconds (10, timed_out_cb, &timed_out);

  while (!done (fixture) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout_id);
}

static gboolean
has_one_account (Fixture *fixture)
{
  return g_list_model_get_n_items (G_LIST_MODEL (fixture->accounts)) == 1;
}

static void
password_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  char **password = user_data;
  g_autoptr(GError) error = NULL;

  *password = cachet_credentials_provider_lookup_finish (CACHET_CREDENTIALS_PROVIDER (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
add_enabled (Fixture *fixture)
{
  return gtk_widget_get_sensitive (child (fixture, "add_button"));
}

/* Waits for a stored password: the lookup answers on the main loop. */
static char *
lookup_password (Fixture       *fixture,
                 CachetAccount *account)
{
  char *password = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  cachet_credentials_provider_lookup_async (CACHET_CREDENTIALS_PROVIDER (fixture->credentials),
                                            cachet_account_get_id (account), CACHET_SECRET_PASSWORD,
                                            NULL, password_cb, &password);
  while (password == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  return password;
}

static gboolean
error_shown (Fixture *fixture)
{
  return gtk_revealer_get_reveal_child (child (fixture, "error_revealer"));
}

static void
test_add_account_checks_the_servers (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(CachetAccount) account = NULL;
  g_autofree char *password = NULL;

  if (!cachet_test_operator_start (CACHET_TEST_OPERATOR_NONE, "IMAPS_PORT", "SUBMISSION_PORT", "CA_FILE",
                                   "ALICE_EMAIL", "ALICE_PASSWORD", NULL))
    return;

  g_assert_false (add_enabled (fixture));
  set_text (fixture, "name_row", "Cabinet Martin");
  set_text (fixture, "address_row", cachet_test_operator_get ("ALICE_EMAIL"));
  set_text (fixture, "password_row", cachet_test_operator_get ("ALICE_PASSWORD"));
  set_text (fixture, "imap_host_row", "127.0.0.1");
  g_assert_false (add_enabled (fixture));
  set_text (fixture, "smtp_host_row", " 127.0.0.1 ");
  g_assert_true (add_enabled (fixture));
  set_text (fixture, "ca_file_row", cachet_test_operator_get ("CA_FILE"));

  /* Switching to STARTTLS moves the default port along. */
  adw_combo_row_set_selected (child (fixture, "smtp_security_row"), 1);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (child (fixture, "smtp_port")), ==, 587);
  gtk_spin_button_set_value (child (fixture, "imap_port"), g_ascii_strtod (cachet_test_operator_get ("IMAPS_PORT"), NULL));
  gtk_spin_button_set_value (child (fixture, "smtp_port"), g_ascii_strtod (cachet_test_operator_get ("SUBMISSION_PORT"), NULL));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->dialog), "dialog.add", NULL));
  iterate_until (has_one_account, fixture);

  account = g_list_model_get_item (G_LIST_MODEL (fixture->accounts), 0);
  g_assert_cmpstr (cachet_account_get_name (account), ==, "Cabinet Martin");
  g_assert_true (g_str_has_prefix (cachet_account_get_imap_url (account), "imaps://127.0.0.1:"));
  g_assert_true (g_str_has_prefix (cachet_account_get_smtp_url (account), "smtp://127.0.0.1:"));
  password = lookup_password (fixture, account);
  g_assert_cmpstr (password, ==, cachet_test_operator_get ("ALICE_PASSWORD"));
}

static void
test_add_account_unreachable_server (Fixture       *fixture,
                                     gconstpointer  data)
{
  set_text (fixture, "name_row", "Cabinet");
  set_text (fixture, "address_row", "secretariat@demo.cachet.test");
  set_text (fixture, "password_row", "mot de passe");
  set_text (fixture, "imap_host_row", "127.0.0.1");
  set_text (fixture, "smtp_host_row", "127.0.0.1");
  /* Nothing listens on port 1. */
  gtk_spin_button_set_value (child (fixture, "imap_port"), 1);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->dialog), "dialog.add", NULL));
  iterate_until (error_shown, fixture);

  g_assert_true (g_str_has_prefix (gtk_label_get_label (child (fixture, "error_label")),
                                   "Incoming mail server (IMAP):"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->accounts)), ==, 0);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->dialog)));
  g_assert_true (add_enabled (fixture));
}

static void
test_add_account_shows_what_is_wrong (Fixture       *fixture,
                                      gconstpointer  data)
{
  set_text (fixture, "name_row", "Cabinet");
  set_text (fixture, "address_row", "not an address");
  set_text (fixture, "imap_host_row", "imap.demo.cachet.test");
  set_text (fixture, "smtp_host_row", "smtp.demo.cachet.test");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->dialog), "dialog.add", NULL));

  g_assert_true (gtk_revealer_get_reveal_child (child (fixture, "error_revealer")));
  g_assert_cmpstr (gtk_label_get_label (child (fixture, "error_label")), ==,
                   "The address must look like name@example.org");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->accounts)), ==, 0);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->dialog)));
}

int
main (int    argc,
      char **argv)
{
  int status;

  cachet_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();

  g_test_add ("/gui/add-account/checks-the-servers", Fixture, NULL,
              fixture_set_up, test_add_account_checks_the_servers, fixture_tear_down);
  g_test_add ("/gui/add-account/unreachable-server", Fixture, NULL,
              fixture_set_up, test_add_account_unreachable_server, fixture_tear_down);
  g_test_add ("/gui/add-account/shows-what-is-wrong", Fixture, NULL,
              fixture_set_up, test_add_account_shows_what_is_wrong, fixture_tear_down);

  status = g_test_run ();
  cachet_test_operator_stop ();
  return status;
}
