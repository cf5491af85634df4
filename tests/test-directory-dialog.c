/* test-directory-dialog.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The directory on a real display (Xvfb), over a generated extract imported
 * into the test's own data directory: the empty state before any import; a
 * search whose rows carry the addresses, one of them added to a composer's
 * recipients; the online results after the offline ones, from a local FHIR
 * server whose address is in the settings, with the API key given in
 * Preferences; a name typed in the composer's To field whose suggested
 * correspondent, once picked, is an address Send accepts; people from the
 * account's past mail suggested before the directory, each address once,
 * never the user; and Preferences updating the directory from a local
 * server.
 */

#include "config.h"

#include <adwaita.h>

#include "cachet-application.h"
#include "cachet-composer-window.h"
#include "cachet-directory.h"
#include "cachet-directory-dialog.h"
#include "cachet-directory-fhir.h"
#include "cachet-preferences-window.h"
#include "cachet-store.h"
#include "cachet-test-server.h"
#include "cachet-test-utils.h"
#include "cachet-test-widgets.h"
#include "directory-test-servers.h"
#include "directory-test-utils.h"

/* Anchors of gen-extract.py: Hélène MARTIN has two personal mailboxes. */
#define HELENE_ADDRESS "helene.martin@medecin.mssante.example"
#define HELENE_CHU_ADDRESS "h.martin@chu-lyon.mssante.example"
#define HELENE_NATIONAL_ID "899000000011"
#define API_KEY "test-api-key-4567"

/* One application for the whole program, as in a session. */
static CachetApplication *app;

static gpointer
dialog_child (CachetDirectoryDialog *dialog,
              const char            *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (dialog), CACHET_TYPE_DIRECTORY_DIALOG, name);
}

static gpointer
composer_child (CachetComposerWindow *composer,
                const char           *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (composer), CACHET_TYPE_COMPOSER_WINDOW, name);
}

static gboolean
can_send (CachetComposerWindow *composer)
{
  return gtk_widget_get_sensitive (composer_child (composer, "send_button"));
}

/* An account whose servers are never reached: Send only needs one. */
static CachetComposerWindow *
new_offline_composer (void)
{
  CachetAccountList *accounts = cachet_application_get_accounts (app);
  g_autoptr(CachetAccount) account = cachet_account_list_find_by_name (accounts, "Cabinet Martin", NULL);
  g_autoptr(GError) error = NULL;
  CachetComposerWindow *composer;

  if (account == NULL)
    {
      account = cachet_account_new ("Cabinet Martin", "secretariat@demo.cachet.test",
                                    "imaps://127.0.0.1:1", "smtps://127.0.0.1:1");
      g_assert_true (cachet_account_list_add (accounts, account, &error));
      g_assert_no_error (error);
    }
  composer = cachet_composer_window_new (app, account);
  gtk_window_present (GTK_WINDOW (composer));
  return composer;
}

/* Into the default directory of the test's own data directory, where the
 * dialog and the composer look. */
static void
import_extract (void)
{
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "extract.txt", NULL);
  g_autoptr(JsonObject) summary = NULL;
  g_autoptr(CachetDirectory) directory = cachet_directory_new (NULL);
  g_autoptr(CachetDirectoryImportReport) report = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_no_errno (g_mkdir_with_parents (g_get_user_cache_dir (), 0700));
  summary = directory_test_generate (path, "--rows", "300", NULL);
  report = cachet_directory_import (directory, file, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->mailboxes + report->duplicates, ==, (guint64) json_object_get_int_member (summary, "rows"));
}

static void
wait_for_page (CachetDirectoryDialog *dialog,
               const char            *page)
{
  cachet_test_wait_for_page (dialog_child (dialog, "stack"), page);
}

static void
test_empty_state (void)
{
  CachetDirectoryDialog *dialog;
  GtkStack *stack;

  /* As the main menu opens it. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "show-directory", NULL);
  dialog = cachet_test_find_toplevel (CACHET_TYPE_DIRECTORY_DIALOG);
  g_assert_nonnull (dialog);
  stack = dialog_child (dialog, "stack");
  /* Nothing to search: the dialog says how to get a directory instead. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_false (gtk_widget_get_sensitive (dialog_child (dialog, "search_box")));
  g_assert_true (gtk_widget_get_sensitive (dialog_child (dialog, "download_button")));

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_search_and_add (void)
{
  CachetComposerWindow *composer = new_offline_composer ();
  CachetDirectoryDialog *dialog;
  GtkWidget *results;
  GtkWidget *first_row;
  GtkWidget *add;

  g_assert_false (can_send (composer));
  /* As the button next to To opens it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (composer), "composer.find-in-directory", NULL));
  dialog = cachet_test_find_toplevel (CACHET_TYPE_DIRECTORY_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (composer));
  results = dialog_child (dialog, "result_list");

  gtk_editable_set_text (dialog_child (dialog, "search_entry"), "hélène martin");
  wait_for_page (dialog, "results");

  /* The exact name comes first, with each of its addresses. */
  first_row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (results), 0));
  g_assert_nonnull (first_row);
  g_assert_nonnull (cachet_test_find_label (first_row, HELENE_ADDRESS));
  g_assert_nonnull (cachet_test_find_label (first_row, HELENE_CHU_ADDRESS));
  g_assert_nonnull (cachet_test_find_label (first_row, "PER"));

  add = cachet_test_find_widget (first_row, cachet_test_is_button_with_tooltip,
                                 "Add " HELENE_ADDRESS " as a recipient");
  g_assert_nonnull (add);
  g_signal_emit_by_name (add, "clicked");
  g_assert_cmpstr (gtk_editable_get_text (composer_child (composer, "to_entry")), ==, HELENE_ADDRESS);
  g_assert_true (can_send (composer));

  /* A second address follows the first. */
  add = cachet_test_find_widget (first_row, cachet_test_is_button_with_tooltip,
                                 "Add " HELENE_CHU_ADDRESS " as a recipient");
  g_signal_emit_by_name (add, "clicked");
  g_assert_cmpstr (gtk_editable_get_text (composer_child (composer, "to_entry")), ==,
                   HELENE_ADDRESS ", " HELENE_CHU_ADDRESS);

  /* A filter that nothing matches says so. */
  gtk_editable_set_text (dialog_child (dialog, "place_entry"), "Ajaccio");
  wait_for_page (dialog, "message");

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (composer));
}

static gpointer
preferences_child (CachetPreferencesWindow *preferences,
                   const char              *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (preferences), CACHET_TYPE_PREFERENCES_WINDOW, name);
}

static gboolean
is_visible (gpointer widget)
{
  return gtk_widget_get_visible (widget);
}

static gboolean
is_hidden (gpointer widget)
{
  return !gtk_widget_get_visible (widget);
}

/* What the application's keyring keeps as the API key. */
static char *
lookup_api_key (void)
{
  CachetCredentialsProvider *credentials = cachet_application_get_credentials (app);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *key;

  cachet_credentials_provider_lookup_async (credentials, CACHET_DIRECTORY_FHIR_ACCOUNT_ID, CACHET_SECRET_PASSWORD,
                                            NULL, cachet_test_result_cb, &result);
  key = cachet_credentials_provider_lookup_finish (credentials, cachet_test_wait_result (&result), &error);
  g_assert_no_error (error);
  return key;
}

/* As the user does it: typed in Preferences, then applied. */
static void
apply_api_key (CachetPreferencesWindow *preferences,
               const char              *key)
{
  GtkWidget *row = preferences_child (preferences, "directory_api_key_row");
  GtkWidget *saved = preferences_child (preferences, "directory_api_key_saved");

  gtk_editable_set_text (GTK_EDITABLE (row), key);
  g_signal_emit_by_name (row, "apply");
  /* The key does not stay on screen. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "");
  cachet_test_iterate_until (*key != '\0' ? is_visible : is_hidden, saved, "the row to say whether a key is kept");
}

static void
test_preferences_api_key (void)
{
  CachetPreferencesWindow *preferences =
    cachet_preferences_window_new (cachet_application_get_accounts (app), cachet_application_get_credentials (app));
  g_autofree char *kept = NULL;
  g_autofree char *removed = NULL;

  gtk_window_present (GTK_WINDOW (preferences));
  g_assert_false (gtk_widget_get_visible (preferences_child (preferences, "directory_api_key_saved")));

  apply_api_key (preferences, "  " API_KEY " ");
  kept = lookup_api_key ();
  g_assert_cmpstr (kept, ==, API_KEY);

  /* An empty key removes it. */
  apply_api_key (preferences, "");
  removed = lookup_api_key ();
  g_assert_null (removed);

  gtk_window_destroy (GTK_WINDOW (preferences));
}

/* How many rows show @address. */
static guint
count_rows_with (GtkListBox *results,
                 const char *address)
{
  guint count = 0;
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (results, i)) != NULL; i++)
    {
      if (cachet_test_find_label (GTK_WIDGET (row), address) != NULL)
        count++;
    }
  return count;
}

static gboolean
is_online_row (GtkListBoxRow *row)
{
  return cachet_test_find_label (GTK_WIDGET (row), "Online") != NULL;
}

typedef struct
{
  CachetDirectoryDialog *dialog;
  const char            *text;
} StatusWait;

/* The online search is over, and the status says @text. */
static gboolean
status_says (gpointer data)
{
  StatusWait *wait = data;
  GtkLabel *label = dialog_child (wait->dialog, "online_status_label");

  return gtk_widget_get_visible (dialog_child (wait->dialog, "online_status")) &&
         !gtk_spinner_get_spinning (dialog_child (wait->dialog, "online_spinner")) &&
         strstr (gtk_label_get_text (label), wait->text) != NULL;
}

static void
wait_for_status (CachetDirectoryDialog *dialog,
                 const char            *text)
{
  StatusWait wait = { dialog, text };

  cachet_test_iterate_until (status_says, &wait, text);
}

static gboolean
is_searching_online (gpointer data)
{
  return gtk_spinner_get_spinning (dialog_child (data, "online_spinner"));
}

/* A new search of @text, as the user types it again. */
static void
search_for (CachetDirectoryDialog *dialog,
            const char            *text)
{
  gtk_editable_set_text (dialog_child (dialog, "search_entry"), "");
  wait_for_page (dialog, "prompt");
  gtk_editable_set_text (dialog_child (dialog, "search_entry"), text);
}

static gboolean
has_online_rows (gpointer data)
{
  return count_rows_with (dialog_child (data, "result_list"), "dupont.p2@test.mssante.fr") > 0;
}

static void
test_online_search (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  DirectoryTestFhirServer server = { 0 };
  CachetDirectoryDialog *dialog;
  CachetPreferencesWindow *preferences;
  GtkListBox *results;
  GtkListBoxRow *row;
  guint n_online = 0;
  guint requests;

  directory_test_fhir_server_start (&server);
  /* The person of the first page is Hélène, the organisation has her
   * second address: both are known offline. */
  directory_test_fhir_server_set_duplicates (&server, HELENE_NATIONAL_ID, HELENE_CHU_ADDRESS);
  g_settings_set_string (settings, "directory-fhir-url", server.base_url);

  g_action_group_activate_action (G_ACTION_GROUP (app), "show-directory", NULL);
  dialog = cachet_test_find_toplevel (CACHET_TYPE_DIRECTORY_DIALOG);
  results = dialog_child (dialog, "result_list");

  /* Without a key: the offline results, and where to give one. */
  gtk_editable_set_text (dialog_child (dialog, "search_entry"), "hélène martin");
  wait_for_page (dialog, "results");
  wait_for_status (dialog, "Preferences");
  g_assert_true (gtk_widget_get_visible (dialog_child (dialog, "online_preferences_button")));
  g_assert_cmpuint (directory_test_fhir_server_count_requests (&server), ==, 0);

  /* The button opens Preferences, where the key is given. */
  g_signal_emit_by_name (dialog_child (dialog, "online_preferences_button"), "clicked");
  preferences = cachet_test_find_toplevel (CACHET_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  apply_api_key (preferences, API_KEY);
  gtk_window_destroy (GTK_WINDOW (preferences));

  /* The offline results first, then those found online only, marked. */
  search_for (dialog, "hélène martin");
  cachet_test_iterate_until (has_online_rows, dialog, "the online results");
  g_assert_false (gtk_widget_get_visible (dialog_child (dialog, "online_status")));
  row = gtk_list_box_get_row_at_index (results, 0);
  g_assert_nonnull (cachet_test_find_label (GTK_WIDGET (row), HELENE_ADDRESS));
  g_assert_false (is_online_row (row));
  for (int i = 1; (row = gtk_list_box_get_row_at_index (results, i)) != NULL; i++)
    {
      GtkListBoxRow *before = gtk_list_box_get_row_at_index (results, i - 1);

      g_assert_true (!is_online_row (before) || is_online_row (row));
      n_online += is_online_row (row);
    }
  /* Pages 2 and 3; Hélène and her address only once. */
  g_assert_cmpuint (n_online, ==, 2);
  g_assert_cmpuint (count_rows_with (results, "dupont.p3@test.mssante.fr"), ==, 1);
  g_assert_cmpuint (count_rows_with (results, "dupont.p1@test.mssante.fr"), ==, 0);
  g_assert_cmpuint (count_rows_with (results, HELENE_CHU_ADDRESS), ==, 1);
  requests = directory_test_fhir_server_count_requests (&server);
  g_assert_cmpuint (requests, >, 0);
  for (guint i = 0; i < requests; i++)
    g_assert_cmpstr (server.api_keys->pdata[i], ==, API_KEY);

  /* A failure says so, and the offline results stay. */
  directory_test_fhir_server_set_mode (&server, DIRECTORY_TEST_FHIR_MALFORMED);
  search_for (dialog, "hélène martin");
  wait_for_status (dialog, "not valid JSON");
  g_assert_false (gtk_widget_get_visible (dialog_child (dialog, "online_preferences_button")));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (dialog_child (dialog, "stack")), ==, "results");
  g_assert_cmpuint (count_rows_with (results, HELENE_ADDRESS), ==, 1);

  /* A refused key: where to change it. */
  directory_test_fhir_server_set_mode (&server, DIRECTORY_TEST_FHIR_REFUSED);
  search_for (dialog, "hélène martin");
  wait_for_status (dialog, "refused the API key");
  g_assert_true (gtk_widget_get_visible (dialog_child (dialog, "online_preferences_button")));

  /* A change of text drops the search under way. */
  directory_test_fhir_server_set_mode (&server, DIRECTORY_TEST_FHIR_SILENT);
  search_for (dialog, "hélène martin");
  cachet_test_iterate_until (is_searching_online, dialog, "the online search");
  gtk_editable_set_text (dialog_child (dialog, "search_entry"), "");
  wait_for_page (dialog, "prompt");
  g_assert_false (gtk_widget_get_visible (dialog_child (dialog, "online_status")));
  g_assert_false (is_searching_online (dialog));

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_settings_reset (settings, "directory-fhir-url");
  preferences = cachet_preferences_window_new (cachet_application_get_accounts (app),
                                               cachet_application_get_credentials (app));
  apply_api_key (preferences, "");
  gtk_window_destroy (GTK_WINDOW (preferences));
  directory_test_fhir_server_stop (&server);
}

static gboolean
has_suggestions (gpointer data)
{
  GtkWidget *popover = data;
  GtkListView *list = cachet_test_find_widget_of_type (popover, GTK_TYPE_LIST_VIEW);

  return gtk_widget_get_visible (popover) &&
         g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (list))) > 0;
}

/* What the field hears of the keyboard before itself, where the list
 * listens while it is open. */
static GtkEventController *
find_key_controller (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller) &&
          gtk_event_controller_get_propagation_phase (controller) == GTK_PHASE_CAPTURE)
        return controller;
    }
  return NULL;
}

static gboolean
press_key (GtkEventController *keys,
           guint               keyval)
{
  gboolean handled = FALSE;

  g_signal_emit_by_name (keys, "key-pressed", keyval, 0, (GdkModifierType) 0, &handled);
  return handled;
}

static gboolean
has_focus (gpointer data)
{
  return gtk_widget_is_focus (GTK_WIDGET (gtk_editable_get_delegate (data)));
}

static void
test_composer_suggests_correspondent (void)
{
  CachetComposerWindow *composer = new_offline_composer ();
  GtkEntry *to = composer_child (composer, "to_entry");
  GtkWidget *popover = cachet_test_find_widget_of_type (GTK_WIDGET (to), GTK_TYPE_POPOVER);
  GtkEventController *keys = find_key_controller (GTK_WIDGET (to));
  GtkListView *list;
  GtkSingleSelection *selection;
  GListModel *suggestions;
  guint n_suggestions;
  guint helene = G_MAXUINT;

  g_assert_nonnull (popover);
  g_assert_nonnull (keys);
  list = cachet_test_find_widget_of_type (popover, GTK_TYPE_LIST_VIEW);
  selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (list));
  gtk_widget_grab_focus (GTK_WIDGET (to));
  cachet_test_iterate_until (has_focus, to, "the To field to have the focus");

  /* Escape closes the list, and leaves the window open. */
  gtk_editable_set_text (GTK_EDITABLE (to), "hélène mart");
  cachet_test_iterate_until (has_suggestions, popover, "suggestions");
  g_assert_true (press_key (keys, GDK_KEY_Escape));
  g_assert_false (gtk_widget_get_visible (popover));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (composer)));

  /* The user types a name, as far as they remember it, after another
   * recipient. */
  gtk_editable_set_text (GTK_EDITABLE (to), "secretariat@demo.cachet.test, hélène mart");
  gtk_editable_set_position (GTK_EDITABLE (to), -1);
  cachet_test_iterate_until (has_suggestions, popover, "suggestions");
  g_assert_false (can_send (composer));

  suggestions = G_LIST_MODEL (gtk_list_view_get_model (list));
  n_suggestions = g_list_model_get_n_items (suggestions);
  for (guint i = 0; i < n_suggestions && helene == G_MAXUINT; i++)
    {
      g_autoptr(GtkStringObject) suggestion = g_list_model_get_item (suggestions, i);

      if (strstr (gtk_string_object_get_string (suggestion), "<" HELENE_ADDRESS ">") != NULL)
        helene = i;
    }
  g_assert_cmpuint (helene, !=, G_MAXUINT);

  /* Down to it, and Enter. */
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 0);
  g_assert_true (press_key (keys, GDK_KEY_Up));
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, n_suggestions - 1);
  while (gtk_single_selection_get_selected (selection) != helene)
    g_assert_true (press_key (keys, GDK_KEY_Down));
  g_assert_true (press_key (keys, GDK_KEY_Return));
  g_assert_false (gtk_widget_get_visible (popover));
  /* Only the word typed was replaced. */
  g_assert_true (g_str_has_prefix (gtk_editable_get_text (GTK_EDITABLE (to)), "secretariat@demo.cachet.test, "));
  g_assert_true (g_str_has_suffix (gtk_editable_get_text (GTK_EDITABLE (to)), "<" HELENE_ADDRESS ">"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (to), "error"));
  g_assert_true (can_send (composer));

  /* With the mouse, in Cc. */
  gtk_toggle_button_set_active (composer_child (composer, "cc_toggle"), TRUE);
  to = composer_child (composer, "cc_entry");
  popover = cachet_test_find_widget_of_type (GTK_WIDGET (to), GTK_TYPE_POPOVER);
  gtk_widget_grab_focus (GTK_WIDGET (to));
  cachet_test_iterate_until (has_focus, to, "the Cc field to have the focus");
  gtk_editable_set_text (GTK_EDITABLE (to), "le gall");
  cachet_test_iterate_until (has_suggestions, popover, "suggestions");
  list = cachet_test_find_widget_of_type (popover, GTK_TYPE_LIST_VIEW);
  g_signal_emit_by_name (list, "activate", 0);
  g_assert_nonnull (strstr (gtk_editable_get_text (GTK_EDITABLE (to)), "<eloise.le-gall@infirmier.mssante.example>"));
  g_assert_true (can_send (composer));

  gtk_window_destroy (GTK_WINDOW (composer));
}

/* Mail the account exchanged, as its sync stores it. */
static void
add_past_mail (CachetStore *store,
               const char  *folder,
               guint32      uid,
               const char  *from,
               const char  *to)
{
  g_autofree char *text = g_strdup_printf ("From: %s\r\nTo: %s\r\nSubject: Patient %u\r\n"
                                           "Message-ID: <%s-%u@demo.cachet.test>\r\n\r\nBonjour,\r\n",
                                           from, to, uid, folder, uid);
  g_autoptr(GBytes) raw = g_bytes_new (text, strlen (text));
  g_autoptr(CachetMessageInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = cachet_store_add_message (store, folder, 1, uid, raw, CACHET_MESSAGE_FLAG_SEEN, NULL,
                                   g_get_real_time () / G_USEC_PER_SEC - uid * 3600, 0, NULL, &error);
  g_assert_no_error (error);
}

/* The suggestions shown, in order. */
static GStrv
dup_suggestions (GtkWidget *popover)
{
  GtkListView *list = cachet_test_find_widget_of_type (popover, GTK_TYPE_LIST_VIEW);
  GListModel *suggestions = G_LIST_MODEL (gtk_list_view_get_model (list));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < g_list_model_get_n_items (suggestions); i++)
    {
      g_autoptr(GtkStringObject) suggestion = g_list_model_get_item (suggestions, i);

      g_strv_builder_add (builder, gtk_string_object_get_string (suggestion));
    }
  return g_strv_builder_end (builder);
}

static guint
count_containing (const char * const *strings,
                  const char         *text)
{
  guint count = 0;

  for (guint i = 0; strings[i] != NULL; i++)
    count += strstr (strings[i], text) != NULL;
  return count;
}

static void
test_composer_suggests_past_correspondent (void)
{
  CachetComposerWindow *composer = new_offline_composer ();
  g_autoptr(CachetAccount) account =
    cachet_account_list_find_by_name (cachet_application_get_accounts (app), "Cabinet Martin", NULL);
  const char *own = cachet_account_get_address (account);
  g_autofree char *own_from = g_strdup_printf ("Secrétariat <%s>", own);
  g_autoptr(GError) error = NULL;
  CachetStore *store = cachet_application_get_store (app, account, &error);
  CachetFolderInfo inbox = { .name = (char *) "INBOX", .uidvalidity = 1 };
  CachetFolderInfo sent = { .name = (char *) "Envoyés", .special_use = (char *) "\\Sent", .uidvalidity = 1 };
  GtkEntry *to = composer_child (composer, "to_entry");
  GtkWidget *popover = cachet_test_find_widget_of_type (GTK_WIDGET (to), GTK_TYPE_POPOVER);
  GtkEventController *keys = find_key_controller (GTK_WIDGET (to));
  g_auto(GStrv) suggestions = NULL;

  g_assert_no_error (error);
  g_assert_true (cachet_store_upsert_folder (store, &inbox, &error) && cachet_store_upsert_folder (store, &sent, &error));
  g_assert_no_error (error);
  /* The secretary wrote to Dr Lefèvre twice, and to Dr Martin, whom the
   * directory knows as Hélène MARTIN; Dr Roux's secretariat wrote back; a
   * copy to herself came in. */
  add_past_mail (store, "Envoyés", 1, own_from, "=?UTF-8?Q?Dr_H=C3=A9l=C3=A8ne_Lef=C3=A8vre?= <h.lefevre@chu-lyon.mssante.example>");
  add_past_mail (store, "Envoyés", 2, own_from, "h.lefevre@chu-lyon.mssante.example");
  add_past_mail (store, "Envoyés", 3, own_from, "Docteur Martin <" HELENE_ADDRESS ">");
  add_past_mail (store, "INBOX", 1, "=?UTF-8?Q?Secr=C3=A9tariat_Dr_Roux?= <secretariat.roux@example.org>", own);
  add_past_mail (store, "INBOX", 2, own_from, own);

  gtk_widget_grab_focus (GTK_WIDGET (to));
  cachet_test_iterate_until (has_focus, to, "the To field to have the focus");

  /* A few letters of a name from past mail, without its accents: the
   * person comes first, and Enter picks them. */
  gtk_editable_set_text (GTK_EDITABLE (to), "lefe");
  cachet_test_iterate_until (has_suggestions, popover, "suggestions");
  suggestions = dup_suggestions (popover);
  g_assert_cmpstr (suggestions[0], ==, "Dr Hélène Lefèvre <h.lefevre@chu-lyon.mssante.example>");
  g_assert_true (press_key (keys, GDK_KEY_Return));
  g_assert_false (gtk_widget_get_visible (popover));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (to)), ==,
                   "Dr Hélène Lefèvre <h.lefevre@chu-lyon.mssante.example>");
  g_assert_true (can_send (composer));

  /* Known from past mail and from the directory: once, as the user wrote
   * to her, then the directory's other addresses. */
  gtk_editable_set_text (GTK_EDITABLE (to), "Dr Hélène Lefèvre <h.lefevre@chu-lyon.mssante.example>, hélène mart");
  gtk_editable_set_position (GTK_EDITABLE (to), -1);
  cachet_test_iterate_until (has_suggestions, popover, "suggestions");
  g_clear_pointer (&suggestions, g_strfreev);
  suggestions = dup_suggestions (popover);
  g_assert_cmpstr (suggestions[0], ==, "Docteur Martin <" HELENE_ADDRESS ">");
  g_assert_cmpuint (count_containing ((const char * const *) suggestions, "<" HELENE_ADDRESS ">"), ==, 1);
  g_assert_cmpuint (count_containing ((const char * const *) suggestions, "<" HELENE_CHU_ADDRESS ">"), ==, 1);
  g_assert_true (press_key (keys, GDK_KEY_Escape));

  /* Never the user. */
  gtk_editable_set_text (GTK_EDITABLE (to), "secr");
  cachet_test_iterate_until (has_suggestions, popover, "suggestions");
  g_clear_pointer (&suggestions, g_strfreev);
  suggestions = dup_suggestions (popover);
  g_assert_cmpuint (count_containing ((const char * const *) suggestions, "<secretariat.roux@example.org>"), ==, 1);
  g_assert_cmpuint (count_containing ((const char * const *) suggestions, own), ==, 0);

  gtk_window_destroy (GTK_WINDOW (composer));
}

static AdwActionRow *
preferences_row (CachetPreferencesWindow *preferences,
                 const char              *name)
{
  return ADW_ACTION_ROW (gtk_widget_get_template_child (GTK_WIDGET (preferences), CACHET_TYPE_PREFERENCES_WINDOW,
                                                        name));
}

static void
test_preferences_status (void)
{
  g_autoptr(CachetDirectory) directory = cachet_directory_new (NULL);
  g_autoptr(CachetDirectoryInfo) info = cachet_directory_query_info (directory, NULL);
  g_autofree char *entries = NULL;
  CachetPreferencesWindow *preferences =
    cachet_preferences_window_new (cachet_application_get_accounts (app), cachet_application_get_credentials (app));
  AdwActionRow *date_row = preferences_row (preferences, "directory_date_row");
  AdwActionRow *entries_row = preferences_row (preferences, "directory_entries_row");

  g_assert_nonnull (info);
  entries = g_strdup_printf ("%" G_GUINT64_FORMAT, info->entries);
  gtk_window_present (GTK_WINDOW (preferences));
  g_assert_cmpstr (adw_action_row_get_subtitle (entries_row), ==, entries);
  /* The generator names no date: the page says it is not known. */
  g_assert_cmpstr (adw_action_row_get_subtitle (date_row), ==, "Unknown");

  gtk_window_destroy (GTK_WINDOW (preferences));
}

static void
record_fraction (GtkProgressBar *progress,
                 GParamSpec     *pspec,
                 gpointer        user_data)
{
  double *last = user_data;

  *last = gtk_progress_bar_get_fraction (progress);
}

static gboolean
is_sensitive (gpointer widget)
{
  return gtk_widget_get_sensitive (widget);
}

/* Update Now downloads the extract from the address in the settings: the
 * progress shows, then the new date and entry count. */
static void
test_preferences_update (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *zip_path = g_build_filename (g_get_user_cache_dir (), "served.zip", NULL);
  g_autoptr(JsonObject) summary = NULL;
  g_autoptr(GBytes) extract = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CachetDirectory) directory = cachet_directory_new (NULL);
  g_autoptr(CachetDirectoryInfo) before = cachet_directory_query_info (directory, NULL);
  g_autoptr(CachetDirectoryInfo) after = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) stamp = g_date_time_new (utc, 2026, 11, 29, 4, 0, 0);
  g_autofree char *date = g_date_time_format (stamp, "%x");
  g_autofree char *entries = NULL;
  g_autofree char *if_none_match = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  DirectoryTestExtractServer server = { 0 };
  CachetPreferencesWindow *preferences;
  GtkWidget *button;
  GtkWidget *progress;
  double last_fraction = 0;
  guint requests;

  g_assert_nonnull (before);
  summary = directory_test_generate (zip_path, "--rows", "500", "--zip", "--stamp", DIRECTORY_TEST_EXTRACT_STAMP,
                                     NULL);
  g_assert_true (g_file_get_contents (zip_path, &contents, &length, &error));
  g_assert_no_error (error);
  extract = g_bytes_new_take (g_steal_pointer (&contents), length);
  directory_test_extract_server_start (&server, extract);
  g_settings_set_string (settings, "directory-update-url", server.url);

  preferences = cachet_preferences_window_new (cachet_application_get_accounts (app),
                                               cachet_application_get_credentials (app));
  gtk_window_present (GTK_WINDOW (preferences));
  button = preferences_child (preferences, "directory_update_button");
  progress = preferences_child (preferences, "directory_progress");
  g_signal_connect (progress, "notify::fraction", G_CALLBACK (record_fraction), &last_fraction);

  g_signal_emit_by_name (button, "clicked");
  g_assert_false (gtk_widget_get_sensitive (button));
  g_assert_true (gtk_widget_get_visible (progress));
  g_assert_cmpstr (adw_action_row_get_subtitle (preferences_row (preferences, "directory_update_row")), ==,
                   "Updating…");
  cachet_test_iterate_until (is_sensitive, button, "the update");

  g_assert_cmpfloat (last_fraction, ==, 1.0);
  g_assert_false (gtk_widget_get_visible (progress));
  g_assert_cmpstr (adw_action_row_get_subtitle (preferences_row (preferences, "directory_update_row")), ==,
                   "The directory is up to date");
  after = cachet_directory_query_info (directory, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->entries, !=, before->entries);
  entries = g_strdup_printf ("%" G_GUINT64_FORMAT, after->entries);
  g_assert_cmpstr (adw_action_row_get_subtitle (preferences_row (preferences, "directory_entries_row")), ==, entries);
  g_assert_cmpstr (adw_action_row_get_subtitle (preferences_row (preferences, "directory_date_row")), ==, date);
  if_none_match = directory_test_extract_server_dup_if_none_match (&server, &requests);
  g_assert_cmpuint (requests, ==, 1);

  g_signal_handlers_disconnect_by_func (progress, record_fraction, &last_fraction);
  gtk_window_destroy (GTK_WINDOW (preferences));
  g_settings_reset (settings, "directory-update-url");
  directory_test_extract_server_stop (&server);
}

/* The engine keeps the official addresses for cachet-cli; the settings
 * give the same by default. */
static void
test_settings_defaults (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *update_url = g_settings_get_string (settings, "directory-update-url");
  g_autofree char *fhir_url = g_settings_get_string (settings, "directory-fhir-url");

  g_assert_cmpstr (update_url, ==, CACHET_DIRECTORY_DEFAULT_URL);
  g_assert_cmpstr (fhir_url, ==, CACHET_DIRECTORY_FHIR_DEFAULT_URL);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  cachet_test_init_gui (&argc, &argv);

  app = cachet_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/gui/directory/settings-defaults", test_settings_defaults);
  g_test_add_func ("/gui/directory/empty-state", test_empty_state);
  g_test_add_func ("/gui/directory/import", import_extract);
  g_test_add_func ("/gui/directory/search-and-add", test_search_and_add);
  g_test_add_func ("/gui/directory/preferences-api-key", test_preferences_api_key);
  g_test_add_func ("/gui/directory/online-search", test_online_search);
  g_test_add_func ("/gui/directory/composer-suggests-correspondent", test_composer_suggests_correspondent);
  g_test_add_func ("/gui/directory/composer-suggests-past-correspondent", test_composer_suggests_past_correspondent);
  g_test_add_func ("/gui/directory/preferences-status", test_preferences_status);
  g_test_add_func ("/gui/directory/preferences-update", test_preferences_update);

  status = g_test_run ();
  g_object_unref (app);
  return status;
}
