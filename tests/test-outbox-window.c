/* test-outbox-window.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The outbox window on a real display (Xvfb): one row per message with where
 * it stands, retrying and cancelling, and the empty state.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "cachet-mime.h"
#include "cachet-outbox-window.h"
#include "cachet-test-credentials.h"
#include "cachet-test-utils.h"

static const char *const recipients[] = { "bob@demo.cachet.test", NULL };

typedef struct
{
  CachetAccountList     *accounts;
  CachetTestCredentials *credentials;
  CachetAccount         *account;
  CachetOutbox          *outbox;
  CachetSenderService   *sender;
  CachetOutboxWindow    *window;
  guint                  failures;
  gint64                 failure_next_attempt;
} Fixture;

static void
send_failed_cb (CachetSenderService *sender,
                CachetAccount       *account,
                const char          *subject,
                const char          *reason,
                gint64               next_attempt,
                Fixture             *fixture)
{
  g_assert_cmpstr (subject, ==, "Compte rendu");
  fixture->failures++;
  fixture->failure_next_attempt = next_attempt;
}

/* An account whose servers refuse every connection. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *accounts_file = g_build_filename (g_get_user_config_dir (), "cachet", "accounts.ini", NULL);
  g_autoptr(GError) error = NULL;

  g_unlink (accounts_file);
  fixture->accounts = cachet_account_list_new_default ();
  g_assert_true (cachet_account_list_load (fixture->accounts, &error));
  fixture->account = cachet_account_new ("Cabinet Martin", "secretariat@demo.cachet.test",
                                         "imaps://127.0.0.1:1", "smtps://127.0.0.1:1");
  g_assert_true (cachet_account_list_add (fixture->accounts, fixture->account, &error));
  g_assert_no_error (error);
  fixture->credentials = cachet_test_credentials_new ();
  cachet_test_credentials_set (fixture->credentials, cachet_account_get_id (fixture->account),
                               CACHET_SECRET_PASSWORD, "secret");
  fixture->outbox = cachet_outbox_new_for_account (cachet_account_get_id (fixture->account));
}

static void
fixture_open_window (Fixture *fixture)
{
  fixture->sender = cachet_sender_service_new (fixture->accounts, CACHET_CREDENTIALS_PROVIDER (fixture->credentials));
  g_signal_connect (fixture->sender, "send-failed", G_CALLBACK (send_failed_cb), fixture);
  fixture->window = g_object_ref_sink (cachet_outbox_window_new (fixture->sender));
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
  g_clear_object (&fixture->sender);
  g_clear_object (&fixture->outbox);
  g_clear_object (&fixture->account);
  g_clear_object (&fixture->credentials);
  g_clear_object (&fixture->accounts);
}

static gpointer
window_child (Fixture    *fixture,
              const char *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (fixture->window), CACHET_TYPE_OUTBOX_WINDOW, name);
}

/* Runs the main context until the sender is idle and the rows show the
 * outbox as it is on disk. */
static void
settle (Fixture *fixture)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  entries = cachet_outbox_list (fixture->outbox, &error);
  g_assert_no_error (error);
  while (g_get_monotonic_time () < deadline)
    {
      GtkWidget *last = gtk_widget_get_last_child (GTK_WIDGET (window_child (fixture, "message_list")));
      guint n_rows = last != NULL ? (guint) gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (last)) + 1 : 0;

      if (!cachet_sender_service_is_busy (fixture->sender) && n_rows == entries->len &&
          !g_main_context_pending (NULL))
        return;
      g_main_context_iteration (NULL, TRUE);
    }
  g_error ("The outbox window did not settle");
}



static CachetOutboxEntry *
enqueue (Fixture    *fixture,
         const char *subject)
{
  g_autofree char *text = g_strdup_printf ("Subject: %s\r\n\r\nBonjour\r\n", subject);
  g_autoptr(GBytes) message = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  CachetOutboxEntry *entry = cachet_outbox_enqueue (fixture->outbox, message, recipients, &error);

  g_assert_no_error (error);
  return entry;
}

static void
test_outbox_window_empty (Fixture       *fixture,
                          gconstpointer  data)
{
  fixture_open_window (fixture);
  settle (fixture);

  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_child (fixture, "stack")), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (gtk_stack_get_visible_child (window_child (fixture, "stack")))),
                   ==, "Outbox is empty");
}

/* The row's button for @action_name, wherever the row puts its suffixes. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *action_name)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, action_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Messages queued in the same second are in no particular order. */
static AdwActionRow *
row_titled (Fixture    *fixture,
            const char *title)
{
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (window_child (fixture, "message_list"), i)) != NULL; i++)
    {
      if (g_str_equal (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title))
        return ADW_ACTION_ROW (row);
    }
  return NULL;
}

static const char *
subtitle_of (Fixture    *fixture,
             const char *title)
{
  AdwActionRow *row = row_titled (fixture, title);

  g_assert_nonnull (row);
  return adw_action_row_get_subtitle (row);
}

static gboolean
button_is_visible (Fixture    *fixture,
                   const char *title,
                   const char *action_name)
{
  AdwActionRow *row = row_titled (fixture, title);
  GtkWidget *button;

  g_assert_nonnull (row);
  button = find_button (GTK_WIDGET (row), action_name);
  g_assert_nonnull (button);
  return gtk_widget_get_visible (button);
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  AdwMessageDialog *newest = NULL;

  /* Answered dialogs may linger until the main loop runs. */
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        newest = ADW_MESSAGE_DIALOG (window);
    }
  return newest;
}

static void
activate_on_entry (Fixture                 *fixture,
                   const char              *action_name,
                   const CachetOutboxEntry *entry)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), action_name, "(ss)",
                                             cachet_account_get_id (fixture->account), entry->id));
}

static CachetOutboxEntry *
find_entry (Fixture    *fixture,
            const char *id)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  entries = cachet_outbox_list (fixture->outbox, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    {
      CachetOutboxEntry *entry = g_ptr_array_index (entries, i);

      if (g_str_equal (entry->id, id))
        return cachet_outbox_entry_copy (entry);
    }
  return NULL;
}

static void
test_outbox_window_retry_and_cancel (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(CachetOutboxEntry) failed = enqueue (fixture, "Compte rendu");
  g_autoptr(CachetOutboxEntry) accepted = enqueue (fixture, "Ordonnance");
  g_autoptr(CachetOutboxEntry) after_retry = NULL;
  g_autoptr(CachetOutboxEntry) still_accepted = NULL;
  g_autoptr(CachetOutboxEntry) kept = NULL;
  g_autoptr(CachetOutboxEntry) cancelled = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  AdwMessageDialog *dialog;

  g_assert_true (cachet_outbox_mark_sending (fixture->outbox, failed, &error));
  g_assert_true (cachet_outbox_mark_failed (fixture->outbox, failed, "550 No such user", &error));
  /* Sent, its copy to Sent waiting for a later attempt. */
  g_assert_true (cachet_outbox_mark_sending (fixture->outbox, accepted, &error));
  g_assert_true (cachet_outbox_mark_accepted (fixture->outbox, accepted, "4Xyz", &error));
  g_assert_true (cachet_outbox_mark_retry (fixture->outbox, accepted, "IMAP down", now, &error));
  g_assert_no_error (error);

  fixture_open_window (fixture);
  settle (fixture);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window_child (fixture, "stack")), ==, "messages");

  /* Each says where it stands, and only what can still be retried or
   * cancelled offers it. */
  g_assert_nonnull (strstr (subtitle_of (fixture, "Compte rendu"), "Failed: 550 No such user"));
  g_assert_nonnull (strstr (subtitle_of (fixture, "Compte rendu"), "bob@demo.cachet.test"));
  g_assert_nonnull (strstr (subtitle_of (fixture, "Compte rendu"), "1 attempt"));
  g_assert_true (button_is_visible (fixture, "Compte rendu", "outbox.retry"));
  g_assert_true (button_is_visible (fixture, "Compte rendu", "outbox.cancel"));
  g_assert_nonnull (strstr (subtitle_of (fixture, "Ordonnance"), "Sent, saving a copy"));
  g_assert_false (button_is_visible (fixture, "Ordonnance", "outbox.retry"));
  g_assert_false (button_is_visible (fixture, "Ordonnance", "outbox.cancel"));

  /* Retrying sends at once; the server is unreachable, so the message waits
   * again, and the user is told when the next attempt is. */
  activate_on_entry (fixture, "outbox.retry", failed);
  settle (fixture);
  after_retry = find_entry (fixture, failed->id);
  g_assert_nonnull (after_retry);
  g_assert_cmpint (after_retry->state, ==, CACHET_OUTBOX_QUEUED);
  g_assert_cmpint (after_retry->next_attempt, >, now);
  g_assert_cmpuint (fixture->failures, ==, 1);
  g_assert_cmpint (fixture->failure_next_attempt, ==, after_retry->next_attempt);
  g_assert_nonnull (strstr (subtitle_of (fixture, "Compte rendu"), "Not sent yet:"));

  /* What the server already has cannot be cancelled. */
  activate_on_entry (fixture, "outbox.cancel", accepted);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "delete");
  settle (fixture);
  still_accepted = find_entry (fixture, accepted->id);
  g_assert_nonnull (still_accepted);

  /* Cancelling asks first; keeping changes nothing. */
  activate_on_entry (fixture, "outbox.cancel", failed);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Cancel Sending?");
  adw_message_dialog_response (dialog, "keep");
  settle (fixture);
  kept = find_entry (fixture, failed->id);
  g_assert_nonnull (kept);

  activate_on_entry (fixture, "outbox.cancel", failed);
  adw_message_dialog_response (find_dialog (), "delete");
  settle (fixture);
  cancelled = find_entry (fixture, failed->id);
  g_assert_null (cancelled);
  g_assert_null (row_titled (fixture, "Compte rendu"));
  g_assert_nonnull (row_titled (fixture, "Ordonnance"));
}

static void
test_outbox_window_failure_text (void)
{
  g_autofree char *for_good = cachet_outbox_window_format_failure ("Compte rendu", "550 No such user", 0);
  g_autofree char *later = cachet_outbox_window_format_failure ("", "Connection refused", 1768469400);

  g_assert_cmpstr (for_good, ==,
                   "Could not send “Compte rendu”: 550 No such user. Open the Outbox to retry or cancel.");
  g_assert_true (g_str_has_prefix (later, "Could not send “(No subject)”: Connection refused. "
                                          "It will be tried again at "));
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();
  cachet_mime_init ();

  g_test_add ("/gui/outbox-window/empty", Fixture, NULL,
              fixture_set_up, test_outbox_window_empty, fixture_tear_down);
  g_test_add ("/gui/outbox-window/retry-and-cancel", Fixture, NULL,
              fixture_set_up, test_outbox_window_retry_and_cancel, fixture_tear_down);
  g_test_add_func ("/gui/outbox-window/failure-text", test_outbox_window_failure_text);

  return g_test_run ();
}
