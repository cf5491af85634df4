/* test-labs-preferences.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-lab-filer.h"
#include "cachet-lab-settings.h"
#include "cachet-preferences-window.h"
#include "cachet-test-credentials.h"
#include "cachet-test-utils.h"
#include "cachet-test-widgets.h"

/* The Lab Results page of Preferences: the per-account switch is saved in
 * the accounts file, the folder rows and layout switches follow the
 * settings, and the senders' text encodings kept in the import journal
 * are listed and can be removed. */

static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  title)
{
  return ADW_IS_ACTION_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static GtkWidget *
find_row (GtkWidget  *root,
          const char *title)
{
  return cachet_test_find_widget (root, is_row_titled, title);
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *tooltip)
{
  return cachet_test_find_widget (root, cachet_test_is_button_with_tooltip, tooltip);
}

static void
test_account_switch (void)
{
  g_autoptr(CachetAccountList) accounts = cachet_account_list_new_default ();
  g_autoptr(CachetAccountList) reloaded = cachet_account_list_new_default ();
  g_autoptr(CachetTestCredentials) credentials = cachet_test_credentials_new ();
  g_autoptr(CachetAccount) account = cachet_account_new ("Labos", "secretariat@demo.cachet.test",
                                                         "imaps://localhost", "smtps://localhost");
  g_autoptr(GError) error = NULL;
  CachetPreferencesWindow *preferences;
  CachetAccount *saved;
  GtkWidget *toggle;

  g_assert_true (cachet_account_list_load (accounts, &error));
  g_assert_true (cachet_account_list_add (accounts, account, &error));
  g_assert_no_error (error);
  g_assert_false (cachet_account_get_lab_import (account));

  preferences = cachet_preferences_window_new (accounts, CACHET_CREDENTIALS_PROVIDER (credentials));
  gtk_window_present (GTK_WINDOW (preferences));
  toggle = cachet_test_find_widget_of_type (GTK_WIDGET (preferences), GTK_TYPE_SWITCH);
  g_assert_nonnull (toggle);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (toggle)));
  gtk_switch_set_active (GTK_SWITCH (toggle), TRUE);
  g_assert_true (cachet_account_get_lab_import (account));

  g_assert_true (cachet_account_list_load (reloaded, &error));
  g_assert_no_error (error);
  saved = cachet_account_list_find_by_name (reloaded, "Labos", &error);
  g_assert_no_error (error);
  g_assert_true (cachet_account_get_lab_import (saved));

  gtk_window_destroy (GTK_WINDOW (preferences));
}

static void
test_folders (void)
{
  g_autoptr(CachetAccountList) accounts = cachet_account_list_new_default ();
  g_autoptr(CachetTestCredentials) credentials = cachet_test_credentials_new ();
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GError) error = NULL;
  g_autofree char *cleared = NULL;
  CachetPreferencesWindow *preferences;
  GtkWidget *inbox_row;
  GtkWidget *archive_row;
  GtkWidget *clear;

  g_assert_true (cachet_account_list_load (accounts, &error));
  g_assert_no_error (error);
  preferences = cachet_preferences_window_new (accounts, CACHET_CREDENTIALS_PROVIDER (credentials));
  gtk_window_present (GTK_WINDOW (preferences));
  archive_row = find_row (GTK_WIDGET (preferences), "Archive Folder");
  inbox_row = find_row (GTK_WIDGET (preferences), "Practice Software Inbox");
  clear = find_button (GTK_WIDGET (preferences), "Stop Copying to the Practice Software");
  g_assert_nonnull (archive_row);
  g_assert_nonnull (inbox_row);
  g_assert_nonnull (clear);
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (archive_row)), "Default: "));
  g_assert_false (gtk_widget_get_sensitive (clear));

  g_settings_set_string (settings, "lab-archive-folder", "/srv/cabinet/biologie");
  g_settings_set_string (settings, "lab-inbox-folder", "/srv/cabinet/logiciel/entrants");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (archive_row)), ==, "/srv/cabinet/biologie");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (inbox_row)), ==, "/srv/cabinet/logiciel/entrants");
  g_assert_true (gtk_widget_get_sensitive (clear));

  g_signal_emit_by_name (clear, "clicked");
  cleared = g_settings_get_string (settings, "lab-inbox-folder");
  g_assert_cmpstr (cleared, ==, "");
  g_assert_false (gtk_widget_get_sensitive (clear));

  gtk_window_destroy (GTK_WINDOW (preferences));
}

static GtkWidget *
find_row_switch (GtkWidget  *root,
                 const char *title)
{
  GtkWidget *row = find_row (root, title);

  g_assert_nonnull (row);
  return cachet_test_find_widget_of_type (row, GTK_TYPE_SWITCH);
}

static void
test_layout (void)
{
  g_autoptr(CachetAccountList) accounts = cachet_account_list_new_default ();
  g_autoptr(CachetTestCredentials) credentials = cachet_test_credentials_new ();
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *journal = g_build_filename (g_get_user_data_dir (), "layout-journal.sqlite", NULL);
  g_autofree char *archive = g_build_filename (g_get_user_data_dir (), "layout-archive", NULL);
  g_autoptr(CachetLabFiler) filer = NULL;
  g_autoptr(GError) error = NULL;
  CachetPreferencesWindow *preferences;
  GtkWidget *by_year;
  GtkWidget *html;
  GtkWidget *by_day;

  g_assert_true (cachet_account_list_load (accounts, &error));
  g_assert_no_error (error);
  /* As the Results window's filer: it follows Preferences while open. */
  filer = cachet_lab_filer_new (journal, archive, NULL, &error);
  g_assert_no_error (error);
  cachet_lab_settings_follow_layout (settings, filer);
  preferences = cachet_preferences_window_new (accounts, CACHET_CREDENTIALS_PROVIDER (credentials));
  gtk_window_present (GTK_WINDOW (preferences));
  by_year = find_row_switch (GTK_WIDGET (preferences), "One Folder per Year");
  html = find_row_switch (GTK_WIDGET (preferences), "Readable Copy Beside the PDF");
  by_day = find_row_switch (GTK_WIDGET (preferences), "Practice Software Inbox by Day");
  g_assert_nonnull (by_year);
  g_assert_nonnull (html);
  g_assert_nonnull (by_day);

  /* The defaults: the layout the command line keeps. */
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (by_year)));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (html)));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (by_day)));
  g_assert_cmpint (cachet_lab_settings_get_layout (settings), ==, CACHET_LAB_LAYOUT_DEFAULT);
  g_assert_cmpint (cachet_lab_filer_get_layout (filer), ==, CACHET_LAB_LAYOUT_DEFAULT);

  gtk_switch_set_active (GTK_SWITCH (by_year), TRUE);
  gtk_switch_set_active (GTK_SWITCH (html), FALSE);
  g_assert_true (g_settings_get_boolean (settings, "lab-archive-by-year"));
  g_assert_false (g_settings_get_boolean (settings, "lab-html-beside-pdf"));
  g_settings_set_boolean (settings, "lab-inbox-by-day", TRUE);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (by_day)));
  g_assert_cmpint (cachet_lab_settings_get_layout (settings), ==,
                   CACHET_LAB_LAYOUT_BY_YEAR | CACHET_LAB_LAYOUT_HTML_ONLY_WITHOUT_PDF | CACHET_LAB_LAYOUT_INBOX_BY_DAY);
  g_assert_cmpint (cachet_lab_filer_get_layout (filer), ==,
                   CACHET_LAB_LAYOUT_BY_YEAR | CACHET_LAB_LAYOUT_HTML_ONLY_WITHOUT_PDF | CACHET_LAB_LAYOUT_INBOX_BY_DAY);

  gtk_window_destroy (GTK_WINDOW (preferences));
  g_settings_reset (settings, "lab-archive-by-year");
  g_settings_reset (settings, "lab-html-beside-pdf");
  g_settings_reset (settings, "lab-inbox-by-day");
  g_assert_cmpint (cachet_lab_filer_get_layout (filer), ==, CACHET_LAB_LAYOUT_DEFAULT);
}

static GtkWidget *
wait_for_row (GtkWidget  *root,
              const char *title,
              gboolean    present)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  GtkWidget *row;

  /* The journal is read in a worker. */
  while (((row = find_row (root, title)) != NULL) != present)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for the row “%s” to be %s", title, present ? "shown" : "removed");
      g_main_context_iteration (NULL, TRUE);
    }
  return row;
}

static void
test_sender_charsets (void)
{
  g_autoptr(CachetAccountList) accounts = cachet_account_list_new_default ();
  g_autoptr(CachetTestCredentials) credentials = cachet_test_credentials_new ();
  g_autofree char *journal = cachet_lab_filer_dup_default_journal ();
  g_autofree char *archive = cachet_lab_filer_dup_default_archive ();
  g_autoptr(CachetLabFiler) filer = NULL;
  g_autoptr(GHashTable) charsets = NULL;
  g_autoptr(GError) error = NULL;
  CachetPreferencesWindow *preferences;
  GtkWidget *row;
  GtkWidget *remove;

  g_assert_true (cachet_account_list_load (accounts, &error));
  g_assert_no_error (error);
  filer = cachet_lab_filer_new (journal, archive, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cachet_lab_filer_set_sender_charset (filer, "Resultats@Labo-Rhone.example", "MACINTOSH", &error));
  g_assert_true (cachet_lab_filer_set_sender_charset (filer, "biologie@ville.example", "CP850", &error));
  g_assert_no_error (error);

  preferences = cachet_preferences_window_new (accounts, CACHET_CREDENTIALS_PROVIDER (credentials));
  gtk_window_present (GTK_WINDOW (preferences));
  row = wait_for_row (GTK_WIDGET (preferences), "resultats@labo-rhone.example", TRUE);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Mac Roman");
  /* One set on the command line, to a charset not offered in reports. */
  row = wait_for_row (GTK_WIDGET (preferences), "biologie@ville.example", TRUE);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "CP850");

  remove = find_button (row, "Detect the Text Encoding of “biologie@ville.example” Again");
  g_assert_nonnull (remove);
  g_signal_emit_by_name (remove, "clicked");
  wait_for_row (GTK_WIDGET (preferences), "biologie@ville.example", FALSE);
  g_assert_nonnull (find_row (GTK_WIDGET (preferences), "resultats@labo-rhone.example"));

  charsets = cachet_lab_filer_dup_sender_charsets (filer, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (charsets), ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (charsets, "resultats@labo-rhone.example"), ==, "MACINTOSH");

  gtk_window_destroy (GTK_WINDOW (preferences));
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init_gui (&argc, &argv);

  g_test_add_func ("/labs/preferences/account-switch", test_account_switch);
  g_test_add_func ("/labs/preferences/folders", test_folders);
  g_test_add_func ("/labs/preferences/layout", test_layout);
  g_test_add_func ("/labs/preferences/sender-charsets", test_sender_charsets);

  return g_test_run ();
}
