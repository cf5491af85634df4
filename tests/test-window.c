/* test-window.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window on a real display (Xvfb), over an account whose mail is
 * already stored: accounts and folders in the sidebar, a folder's messages in
 * the list.
 */

#include "config.h"

#include <glib/gstdio.h>

#include "cachet-account-data.h"
#include "cachet-application.h"
#include "cachet-composer-window.h"
#include "cachet-folder.h"
#include "cachet-message-row.h"
#include "cachet-test-utils.h"
#include "cachet-test-widgets.h"

#define UIDVALIDITY 7

static void
store_sample_mail (void)
{
  g_autoptr(CachetStore) store = cachet_test_add_account ("Cabinet Martin", "secretariat@demo.cachet.test",
                                                          NULL);
  g_autoptr(GError) error = NULL;
  const CachetFolderInfo folders[] = {
    { .name = (char *) "Corbeille", .special_use = (char *) "\\Trash", .uidvalidity = UIDVALIDITY },
    { .name = (char *) "Brouillons", .special_use = (char *) "\\Drafts", .uidvalidity = UIDVALIDITY },
    { .name = (char *) "INBOX", .uidvalidity = UIDVALIDITY },
  };
  static const char draft[] = "From: secretariat@demo.cachet.test\r\n"
                              "To: labo@demo.cachet.test\r\n"
                              "Subject: Demande de bilan\r\n"
                              "Message-ID: <brouillon-1@demo.cachet.test>\r\n"
                              "\r\nBonjour,\r\n";

  for (guint i = 0; i < G_N_ELEMENTS (folders); i++)
    g_assert_true (cachet_store_upsert_folder (store, &folders[i], &error));

  for (guint uid = 1; uid <= 3; uid++)
    {
      g_autofree char *text = g_strdup_printf ("From: =?UTF-8?Q?Laboratoire_Bio-Sant=C3=A9?= <labo@demo.cachet.test>\r\n"
                                               "Subject: =?UTF-8?Q?R=C3=A9sultats_n=C2=B0?=%u\r\n"
                                               "Date: Thu, 15 Jan 2026 10:3%u:00 +0100\r\n"
                                               "\r\nBonjour\r\n", uid, uid);
      g_autoptr(GBytes) raw = g_bytes_new (text, strlen (text));
      G_GNUC_UNUSED g_autoptr(CachetMessageInfo) info =
        cachet_store_add_message (store, "INBOX", UIDVALIDITY, uid, raw,
                                  uid == 1 ? CACHET_MESSAGE_FLAG_SEEN : 0, NULL,
                                  1768469400 + uid * 60, 0, NULL, &error);

      g_assert_no_error (error);
    }

  /* A draft saved by another client. */
  {
    g_autoptr(GBytes) raw = g_bytes_new_static (draft, sizeof draft - 1);
    G_GNUC_UNUSED g_autoptr(CachetMessageInfo) info =
      cachet_store_add_message (store, "Brouillons", UIDVALIDITY, 1, raw,
                                CACHET_MESSAGE_FLAG_SEEN | CACHET_MESSAGE_FLAG_DRAFT, NULL, 0, 0, NULL, &error);

    g_assert_no_error (error);
  }
}

/* GtkSearchEntry waits a little before searching, and the search runs in a
 * thread: iterate until the list shows what is expected, with a bound. */
static void
wait_for_messages (CachetWindow *window,
                   guint         expected)
{
  GtkStack *stack = cachet_test_window_child (window, "message_list_stack");
  GListModel *shown = G_LIST_MODEL (gtk_list_view_get_model (cachet_test_window_child (window, "message_list")));
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      gboolean settled = expected == 0 ? g_str_equal (gtk_stack_get_visible_child_name (stack), "no-results")
                                       : g_list_model_get_n_items (shown) == expected;

      if (settled)
        return;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, expected);
}

/* Iterates until the message of @uid in the INBOX has @flag set (or not),
 * with a bound: actions change the index in a thread. */
static void
wait_for_flag (CachetStore        *store,
               guint32             uid,
               CachetMessageFlags  flag,
               gboolean            set)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  g_autoptr(CachetMessageInfo) info = NULL;

  do
    {
      g_clear_object (&info);
      g_main_context_iteration (NULL, FALSE);
      info = cachet_store_get_message (store, "INBOX", uid, NULL);
      g_assert_nonnull (info);
    }
  while (((cachet_message_info_get_flags (info) & flag) != 0) != set &&
         g_get_monotonic_time () < deadline);
  g_assert_cmpint ((cachet_message_info_get_flags (info) & flag) != 0, ==, set);
}

static guint32
selected_uid (GtkSelectionModel *messages)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (messages);
  g_autoptr(CachetMessageInfo) info = NULL;

  g_assert_cmpuint (gtk_bitset_get_size (selected), ==, 1);
  info = g_list_model_get_item (G_LIST_MODEL (messages), gtk_bitset_get_nth (selected, 0));
  return cachet_message_info_get_uid (info);
}

/* Opening a message marks it read; the star and the trash act on the
 * selection at once, queue the change for the server, and the next message
 * is selected when the shown one leaves the folder. */
static void
check_message_actions (CachetApplication *app,
                       CachetWindow      *window,
                       GtkSelectionModel *messages)
{
  CachetAccountList *accounts = cachet_application_get_accounts (app);
  g_autoptr(CachetAccount) account = g_list_model_get_item (G_LIST_MODEL (accounts), 0);
  CachetStore *store = cachet_application_get_store (app, account, NULL);
  GMenuModel *move_menu = gtk_menu_button_get_menu_model (cachet_test_window_child (window, "move_button"));
  g_autoptr(GPtrArray) pending = NULL;
  g_autofree char *target = NULL;
  gint64 deadline;

  g_assert_nonnull (store);
  gtk_selection_model_select_item (messages, 0, TRUE);
  g_assert_cmpuint (selected_uid (messages), ==, 3);
  wait_for_flag (store, 3, CACHET_MESSAGE_FLAG_SEEN, TRUE);

  /* The other folders are where messages can go from the inbox. */
  g_assert_cmpint (g_menu_model_get_n_items (move_menu), ==, 2);
  g_assert_true (g_menu_model_get_item_attribute (move_menu, 1, G_MENU_ATTRIBUTE_TARGET, "s", &target));
  g_assert_cmpstr (target, ==, "Corbeille");

  gtk_widget_activate_action (GTK_WIDGET (window), "message.flagged", NULL);
  wait_for_flag (store, 3, CACHET_MESSAGE_FLAG_FLAGGED, TRUE);
  g_assert_cmpuint (selected_uid (messages), ==, 3);

  gtk_widget_activate_action (GTK_WIDGET (window), "message.delete", NULL);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_list_model_get_n_items (G_LIST_MODEL (messages)) != 2 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (messages)), ==, 2);
  g_assert_cmpuint (selected_uid (messages), ==, 2);
  wait_for_flag (store, 2, CACHET_MESSAGE_FLAG_SEEN, TRUE);

  /* The server hears of them at the next sync: the star, the move to the
   * trash, and the next message read. */
  pending = cachet_store_list_pending_actions (store, NULL);
  g_assert_nonnull (pending);
  g_assert_cmpuint (pending->len, ==, 4);
  g_assert_cmpint (((CachetPendingAction *) g_ptr_array_index (pending, 2))->kind, ==, CACHET_PENDING_ACTION_MOVE);
  g_assert_cmpstr (((CachetPendingAction *) g_ptr_array_index (pending, 2))->target_folder, ==, "Corbeille");
  g_assert_cmpint (((CachetPendingAction *) g_ptr_array_index (pending, 3))->kind, ==, CACHET_PENDING_ACTION_ADD_FLAGS);
  gtk_selection_model_unselect_all (messages);
}

/* A draft in the drafts folder opens in the composer, as it was saved. */
static void
check_draft_opens_in_composer (CachetWindow       *window,
                               GtkSingleSelection *sidebar,
                               GtkSelectionModel  *messages)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWindow *composer = NULL;
  gint64 deadline;

  gtk_single_selection_set_selected (sidebar, 2);
  cachet_test_iterate ();
  g_assert_cmpstr (adw_window_title_get_title (cachet_test_window_child (window, "message_list_title")), ==,
                   "Brouillons");
  g_assert_false (gtk_widget_get_visible (cachet_test_window_child (window, "edit_draft_button")));
  gtk_selection_model_select_item (messages, 0, TRUE);
  g_assert_true (gtk_widget_get_visible (cachet_test_window_child (window, "edit_draft_button")));

  g_signal_emit_by_name (cachet_test_window_child (window, "message_list"), "activate", 0);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (composer == NULL && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      for (guint i = 0; i < g_list_model_get_n_items (toplevels) && composer == NULL; i++)
        {
          g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

          if (CACHET_IS_COMPOSER_WINDOW (toplevel))
            composer = toplevel;
        }
    }
  g_assert_nonnull (composer);
  {
    GtkEditable *subject = GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (composer),
                                                                         CACHET_TYPE_COMPOSER_WINDOW,
                                                                         "subject_entry"));

    while (*gtk_editable_get_text (subject) == '\0' && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
    g_assert_cmpstr (gtk_editable_get_text (subject), ==, "Demande de bilan");
  }
  gtk_window_destroy (composer);
  cachet_test_iterate ();
}

static void
test_window_shows_stored_mail (void)
{
  g_autoptr(CachetApplication) app = cachet_application_new ();
  g_autoptr(GError) error = NULL;
  CachetWindow *window;
  GtkSingleSelection *sidebar;
  GtkSelectionModel *messages;
  g_autoptr(GtkTreeListRow) account_row = NULL;
  g_autoptr(GtkTreeListRow) inbox_row = NULL;
  g_autoptr(GtkTreeListRow) trash_row = NULL;
  g_autoptr(GObject) inbox = NULL;
  g_autoptr(GObject) trash = NULL;
  g_autoptr(CachetMessageInfo) newest = NULL;

  store_sample_mail ();

  window = cachet_test_show_window (app);
  cachet_test_iterate ();

  /* The account, then its folders in their usual order. */
  sidebar = GTK_SINGLE_SELECTION (gtk_list_view_get_model (cachet_test_window_child (window, "folder_list")));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sidebar)), ==, 4);
  /* The stored mail shows without waiting for the server. */
  g_assert_cmpuint (gtk_single_selection_get_selected (sidebar), ==, 1);
  account_row = g_list_model_get_item (G_LIST_MODEL (sidebar), 0);
  g_assert_true (CACHET_IS_ACCOUNT (gtk_tree_list_row_get_item (account_row)));
  g_object_unref (gtk_tree_list_row_get_item (account_row));
  inbox_row = g_list_model_get_item (G_LIST_MODEL (sidebar), 1);
  inbox = gtk_tree_list_row_get_item (inbox_row);
  g_assert_cmpstr (cachet_folder_get_name (CACHET_FOLDER (inbox)), ==, "INBOX");
  g_assert_cmpuint (cachet_folder_get_unread_count (CACHET_FOLDER (inbox)), ==, 2);
  trash_row = g_list_model_get_item (G_LIST_MODEL (sidebar), 3);
  trash = gtk_tree_list_row_get_item (trash_row);
  g_assert_cmpstr (cachet_folder_get_name (CACHET_FOLDER (trash)), ==, "Corbeille");

  /* The window gets new mail at once; this account's server is unreachable,
   * which ends the sync quickly. Then the first inbox is open. */
  cachet_test_wait_for_sync (window);
  g_assert_cmpuint (gtk_single_selection_get_selected (sidebar), ==, 1);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (cachet_test_window_child (window, "message_list_stack")), ==,
                   "list");
  g_assert_cmpstr (adw_window_title_get_title (cachet_test_window_child (window, "message_list_title")), ==,
                   "Inbox");
  messages = gtk_list_view_get_model (cachet_test_window_child (window, "message_list"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (messages)), ==, 3);
  newest = g_list_model_get_item (G_LIST_MODEL (messages), 0);
  g_assert_cmpuint (cachet_message_info_get_uid (newest), ==, 3);
  g_assert_cmpstr (cachet_message_info_get_subject (newest), ==, "Résultats n°3");

  /* Selecting a message opens it in the reading pane. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (cachet_test_window_child (window, "reading_stack")), ==,
                   "none");
  gtk_selection_model_select_item (messages, 0, TRUE);
  cachet_test_wait_for_page (cachet_test_window_child (window, "reading_stack"), "message");
  gtk_selection_model_unselect_all (messages);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (cachet_test_window_child (window, "reading_stack")), ==,
                   "none");

  /* Search as you type, accents or not; clearing it shows the folder again. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
  g_assert_true (gtk_search_bar_get_search_mode (cachet_test_window_child (window, "search_bar")));
  gtk_editable_set_text (cachet_test_window_child (window, "search_entry"), "resultats 2");
  wait_for_messages (window, 1);
  {
    GtkListView *list = cachet_test_window_child (window, "message_list");
    g_autoptr(CachetMessageInfo) found = g_list_model_get_item (G_LIST_MODEL (gtk_list_view_get_model (list)), 0);

    g_assert_cmpuint (cachet_message_info_get_uid (found), ==, 2);
  }
  gtk_editable_set_text (cachet_test_window_child (window, "search_entry"), "cardiologie");
  wait_for_messages (window, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (cachet_test_window_child (window, "message_list_stack")), ==,
                   "no-results");
  gtk_editable_set_text (cachet_test_window_child (window, "search_entry"), "");
  wait_for_messages (window, 3);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (cachet_test_window_child (window, "message_list_stack")), ==,
                   "list");

  check_message_actions (app, window, messages);
  check_draft_opens_in_composer (window, sidebar, messages);

  /* An empty folder says so. */
  gtk_single_selection_set_selected (sidebar, 3);
  cachet_test_iterate ();
  g_assert_cmpstr (gtk_stack_get_visible_child_name (cachet_test_window_child (window, "message_list_stack")), ==,
                   "empty");

  /* Removing the account lets go of its mail: nothing holds its store
   * open, so its local copy can be deleted. */
  {
    CachetAccountList *accounts = cachet_application_get_accounts (app);
    g_autoptr(CachetAccount) account = g_list_model_get_item (G_LIST_MODEL (accounts), 0);
    g_autofree char *account_dir = cachet_account_data_get_dir (cachet_account_get_id (account));
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    gtk_single_selection_set_selected (sidebar, 1);
    cachet_test_iterate ();
    g_assert_true (cachet_account_list_remove (accounts, account, &error));
    g_assert_no_error (error);
    cachet_test_iterate ();
    g_assert_cmpstr (gtk_stack_get_visible_child_name (cachet_test_window_child (window, "message_list_stack")), ==,
                     "welcome");
    while (g_file_test (account_dir, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
    g_assert_false (g_file_test (account_dir, G_FILE_TEST_EXISTS));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  cachet_test_iterate ();
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init_gui (&argc, &argv);

  g_test_add_func ("/gui/window/shows-stored-mail", test_window_shows_stored_mail);

  return g_test_run ();
}
