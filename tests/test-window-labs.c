/* test-window-labs.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Filing the lab results of one message from the main window, on a real
 * display (Xvfb), for an account that does not import after its syncs: the
 * message menu, the toast that says what happened, and what reached the
 * journal and the archive chosen in Preferences.
 */

#include "config.h"

#include "cachet-application.h"
#include "cachet-lab-filer.h"
#include "cachet-lab-mail-import.h"
#include "cachet-results-window.h"
#include "cachet-test-utils.h"
#include "cachet-test-widgets.h"
#include "labs-test-data.h"

#define UIDVALIDITY 9
#define INS_OID     "1.2.250.1.213.1.4.8"
#define PATIENT     "DURAND Hélène (1961-03-02)"

enum {
  UID_LETTER = 1,
  UID_HPRIM,
  UID_CDA,
};

static void
store_mail (void)
{
  g_autoptr(CachetAccount) account = NULL;
  g_autoptr(CachetStore) store = cachet_test_add_account ("Cabinet Martin", "secretariat@demo.cachet.test",
                                                          &account);
  g_autoptr(GError) error = NULL;
  g_autofree char *hprim = labs_test_hprim_net (FALSE);
  g_autofree char *cda = labs_test_cda (INS_OID, "1.2.250.1.999.3", 1, NULL, "7.8");
  static const char letter[] = "From: Dr Lambert <bob@example.org>\r\nSubject: RDV\r\n"
                               "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                               "Bonjour, à jeudi.\r\n";
  GBytes *messages[] = {
    [UID_LETTER] = g_bytes_new_static (letter, sizeof letter - 1),
    [UID_HPRIM] = labs_test_mail (hprim, "cr.hpr"),
    [UID_CDA] = labs_test_mail (cda, "cr-bio.xml"),
  };
  CachetFolderInfo inbox = { .name = (char *) "INBOX", .uidvalidity = UIDVALIDITY };

  /* Filing on demand is for the accounts that do not file on their own too. */
  g_assert_false (cachet_account_get_lab_import (account));
  g_assert_true (cachet_store_upsert_folder (store, &inbox, &error));
  for (guint uid = UID_LETTER; uid <= UID_CDA; uid++)
    {
      G_GNUC_UNUSED g_autoptr(CachetMessageInfo) info =
        cachet_store_add_message (store, "INBOX", UIDVALIDITY, uid, messages[uid], 0, NULL,
                                  1768469400 + uid * 60, 0, NULL, &error);

      g_assert_no_error (error);
      g_bytes_unref (messages[uid]);
    }
}

static gboolean
is_menu_button_for (GtkWidget     *widget,
                    gconstpointer  action)
{
  GMenuModel *menu;

  if (!GTK_IS_MENU_BUTTON (widget) || (menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget))) == NULL)
    return FALSE;
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      for (int j = 0; section != NULL && j < g_menu_model_get_n_items (section); j++)
        {
          g_autofree char *name = NULL;

          if (g_menu_model_get_item_attribute (section, j, G_MENU_ATTRIBUTE_ACTION, "s", &name) &&
              g_str_equal (name, action))
            return TRUE;
        }
    }
  return FALSE;
}

/* A menu item is a button whose text is the item's label. */
static gboolean
is_item_labelled (GtkWidget     *widget,
                  gconstpointer  label)
{
  g_autofree char *text = NULL;

  if (g_object_class_find_property (G_OBJECT_GET_CLASS (widget), "text") == NULL ||
      g_object_class_find_property (G_OBJECT_GET_CLASS (widget), "action-name") == NULL)
    return FALSE;
  g_object_get (widget, "text", &text, NULL);
  return g_strcmp0 (text, label) == 0;
}

/* The "File Lab Results" item of the message menu, with the menu open. */
static GtkWidget *
open_message_menu (CachetWindow *window)
{
  GtkWidget *button = cachet_test_find_widget (GTK_WIDGET (window), is_menu_button_for,
                                               "message.file-lab-results");
  GtkWidget *item;

  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "More Message Actions");
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  cachet_test_iterate ();
  item = cachet_test_find_widget (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button))),
                                  is_item_labelled, "File Lab Results");
  g_assert_nonnull (item);
  return item;
}

static void
close_message_menu (CachetWindow *window)
{
  GtkWidget *button = cachet_test_find_widget (GTK_WIDGET (window), is_menu_button_for,
                                               "message.file-lab-results");

  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
  cachet_test_iterate ();
}

static gboolean
is_close_button (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)),
                                              "window-close-symbolic") == 0;
}

/* The toast shown, if any: the overlay's children other than its content. */
static GtkWidget *
shown_toast (CachetWindow *window)
{
  AdwToastOverlay *overlay = cachet_test_window_child (window, "toast_overlay");

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (overlay)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (child != adw_toast_overlay_get_child (overlay) &&
          cachet_test_find_widget (child, is_close_button, NULL) != NULL)
        return child;
    }
  return NULL;
}

/* Waits for @toast to leave, with a bound, so that it is not taken for the
 * next one. */
static void
wait_gone (CachetWindow *window,
           GtkWidget    *toast)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (shown_toast (window) == toast && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (shown_toast (window) != toast);
}

static void
dismiss (CachetWindow *window,
         GtkWidget    *toast)
{
  gtk_widget_activate (cachet_test_find_widget (toast, is_close_button, NULL));
  wait_gone (window, toast);
}

/* Waits for the toast that tells what filing did, with a bound; toasts
 * queue, so the account's failing sync (its server is unreachable) may
 * come first and is dismissed. Returns: (transfer none): the toast */
static GtkWidget *
wait_for_toast (CachetWindow *window,
                const char   *expected)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  GtkWidget *toast = NULL;

  while (g_get_monotonic_time () < deadline)
    {
      GtkWidget *title;

      g_main_context_iteration (NULL, FALSE);
      if ((toast = shown_toast (window)) == NULL || !gtk_widget_get_child_visible (toast))
        continue;
      if (cachet_test_find_widget (toast, cachet_test_is_label_with_text, expected) != NULL)
        return toast;
      title = cachet_test_find_widget (toast, cachet_test_is_label_with_text, NULL);
      g_assert_nonnull (title);
      if (strstr (gtk_label_get_text (GTK_LABEL (title)), "could not get new mail") == NULL)
        g_error ("toast “%s” where “%s” was expected", gtk_label_get_text (GTK_LABEL (title)), expected);
      dismiss (window, toast);
    }
  g_error ("no toast “%s”", expected);
}

static void
file_selected (CachetWindow *window,
               const char   *expected,
               gboolean      show_results)
{
  GtkWidget *toast;
  gboolean offers_results;

  gtk_widget_activate_action (GTK_WIDGET (window), "message.file-lab-results", NULL);
  toast = wait_for_toast (window, expected);
  offers_results = cachet_test_find_widget (toast, cachet_test_is_button_with_label, "Show Results") != NULL;
  g_assert_true (offers_results == show_results);
  dismiss (window, toast);
}

static GListModel *
list_journal (const char *archive)
{
  g_autofree char *journal = cachet_lab_filer_dup_default_journal ();
  g_autoptr(CachetLabFiler) filer = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *entries;

  filer = cachet_lab_filer_new (journal, archive, NULL, &error);
  g_assert_no_error (error);
  entries = cachet_lab_filer_list_entries (filer, &error);
  g_assert_no_error (error);
  return entries;
}

static void
test_file_lab_results (void)
{
  g_autoptr(CachetApplication) app = cachet_application_new ();
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *archive = g_build_filename (g_get_user_data_dir (), "Résultats", NULL);
  g_autofree char *patient_year = g_build_filename (archive, PATIENT, "2024", NULL);
  g_autoptr(GListModel) journal = NULL;
  g_autoptr(CachetAccount) account = NULL;
  g_autoptr(CachetMessageInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  CachetLabJournalEntry *entry;
  CachetWindow *window;
  GtkSelectionModel *messages;
  CachetStore *store;
  GtkWidget *toast;
  GtkWidget *item;

  /* The folder and the layout chosen in Preferences are the ones used. */
  g_settings_set_string (settings, "lab-archive-folder", archive);
  g_settings_set_boolean (settings, "lab-archive-by-year", TRUE);
  store_mail ();

  window = cachet_test_show_window (app);
  cachet_test_wait_for_sync (window);
  messages = gtk_list_view_get_model (cachet_test_window_child (window, "message_list"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (messages)), ==, 3);

  /* One message at a time. */
  item = open_message_menu (window);
  g_assert_false (gtk_widget_is_sensitive (item));
  close_message_menu (window);
  gtk_selection_model_select_item (messages, cachet_test_message_position (messages, UID_CDA), TRUE);
  gtk_selection_model_select_item (messages, cachet_test_message_position (messages, UID_HPRIM), FALSE);
  item = open_message_menu (window);
  g_assert_false (gtk_widget_is_sensitive (item));
  close_message_menu (window);

  /* Filed from the menu, in the patient's folder of the archive. */
  gtk_selection_model_select_item (messages, cachet_test_message_position (messages, UID_CDA), TRUE);
  item = open_message_menu (window);
  g_assert_true (gtk_widget_is_sensitive (item));
  gtk_widget_activate (item);
  dismiss (window, wait_for_toast (window, "Filed 1 lab result for " PATIENT));
  journal = list_journal (archive);
  g_assert_cmpuint (g_list_model_get_n_items (journal), ==, 1);
  entry = g_list_model_get_item (journal, 0);
  g_assert_cmpint (cachet_lab_journal_entry_get_status (entry), ==, CACHET_LAB_ENTRY_STATUS_FILED);
  g_assert_cmpstr (cachet_lab_journal_entry_get_patient (entry), ==, PATIENT);
  g_assert_cmpstr (cachet_lab_journal_entry_get_file_name (entry), ==, "cr-bio.xml");
  g_object_unref (entry);
  g_assert_true (g_file_test (patient_year, G_FILE_TEST_IS_DIR));
  account = g_list_model_get_item (G_LIST_MODEL (cachet_application_get_accounts (app)), 0);
  store = cachet_application_get_store (app, account, &error);
  g_assert_no_error (error);
  info = cachet_store_get_message (store, "INBOX", UID_CDA, &error);
  g_assert_no_error (error);
  g_assert_true (cachet_message_info_has_keyword (info, CACHET_LAB_FILED_KEYWORD));

  /* Again: the journal knows it. */
  gtk_selection_model_select_item (messages, cachet_test_message_position (messages, UID_CDA), TRUE);
  file_selected (window, "Already filed", FALSE);

  /* No qualified INS: the user confirms the patient, from Results. */
  gtk_selection_model_select_item (messages, cachet_test_message_position (messages, UID_HPRIM), TRUE);
  gtk_widget_activate_action (GTK_WIDGET (window), "message.file-lab-results", NULL);
  toast = wait_for_toast (window, "Waiting for you to confirm the patient");
  gtk_widget_activate (cachet_test_find_widget (toast, cachet_test_is_button_with_label, "Show Results"));
  wait_gone (window, toast);
  gtk_window_destroy (cachet_test_wait_for_toplevel (CACHET_TYPE_RESULTS_WINDOW));
  cachet_test_iterate ();

  /* A letter: nothing is written. */
  gtk_selection_model_select_item (messages, cachet_test_message_position (messages, UID_LETTER), TRUE);
  file_selected (window, "No lab result found in this message", FALSE);

  /* The CR-BIO once, and the two patients of the HPRIM file. */
  g_clear_object (&journal);
  journal = list_journal (archive);
  g_assert_cmpuint (g_list_model_get_n_items (journal), ==, 3);

  gtk_window_destroy (GTK_WINDOW (window));
  cachet_test_iterate ();
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init_gui (&argc, &argv);

  g_test_add_func ("/gui/window/file-lab-results", test_file_lab_results);

  return g_test_run ();
}
