/* test-labs-preferences.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "cachet-preferences-window.h"
#include "cachet-test-credentials.h"
#include "cachet-test-utils.h"

/* The Lab Results page of Preferences: the per-account switch is saved in
 * the accounts file, and the folder rows follow the settings. */

static GtkWidget *
find_widget (GtkWidget  *root,
             GType       type,
             const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) &&
          (title == NULL || g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), title) == 0))
        return child;
      if ((found = find_widget (child, type, title)) != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *tooltip)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) && g_strcmp0 (gtk_widget_get_tooltip_text (child), tooltip) == 0)
        return child;
      if ((found = find_button (child, tooltip)) != NULL)
        return found;
    }
  return NULL;
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
  toggle = find_widget (GTK_WIDGET (preferences), GTK_TYPE_SWITCH, NULL);
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
  archive_row = find_widget (GTK_WIDGET (preferences), ADW_TYPE_ACTION_ROW, "Archive Folder");
  inbox_row = find_widget (GTK_WIDGET (preferences), ADW_TYPE_ACTION_ROW, "Practice Software Inbox");
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

int
main (int    argc,
      char **argv)
{
  cachet_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/labs/preferences/account-switch", test_account_switch);
  g_test_add_func ("/labs/preferences/folders", test_folders);

  return g_test_run ();
}
