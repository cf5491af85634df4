/* test-composer-window.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The composer on a real display (Xvfb) with a real keyring: a file dropped
 * on it the way a file manager drops one, sent through alice's outbox to the
 * operator in a box, and found in bob's inbox byte for byte; recipients
 * checked as they are typed; a reply filled in from a stored message.
 */

#include "config.h"

#include <adwaita.h>

#include "cachet-account-sync.h"
#include "cachet-application.h"
#include "cachet-attachment-row.h"
#include "cachet-composer-window.h"
#include "cachet-drafts.h"
#include "cachet-mime.h"
#include "cachet-reply.h"
#include "cachet-test-credentials.h"
#include "cachet-test-operator.h"
#include "cachet-test-utils.h"
#include "cachet-window.h"

/* One application for the whole program, as in a session: registering a
 * second one with the same id would fail. */
static CachetApplication *app;

static gpointer
composer_child (CachetComposerWindow *composer,
                const char           *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (composer), CACHET_TYPE_COMPOSER_WINDOW, name);
}

static gboolean
pause_over_cb (gpointer user_data)
{
  gboolean *over = user_data;

  *over = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static gboolean
can_send (CachetComposerWindow *composer)
{
  return gtk_widget_get_sensitive (composer_child (composer, "send_button"));
}

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *stored = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (cachet_credentials_provider_store_finish (CACHET_CREDENTIALS_PROVIDER (source), result, &error));
  g_assert_no_error (error);
  *stored = TRUE;
}

static CachetAccount *
add_operator_account (const char *user)
{
  g_autofree char *name_key = g_strconcat (user, "_EMAIL", NULL);
  g_autofree char *password_key = g_strconcat (user, "_PASSWORD", NULL);
  g_autofree char *imap_url = g_strdup_printf ("imaps://127.0.0.1:%s", cachet_test_operator_get ("IMAPS_PORT"));
  g_autofree char *smtp_url = g_strdup_printf ("smtp://127.0.0.1:%s", cachet_test_operator_get ("SUBMISSION_PORT"));
  g_autoptr(CachetAccount) account = cachet_account_new (user, cachet_test_operator_get (name_key), imap_url, smtp_url);
  g_autoptr(GError) error = NULL;
  gboolean stored = FALSE;

  cachet_account_set_ca_file (account, cachet_test_operator_get ("CA_FILE"));
  g_assert_true (cachet_account_list_add (cachet_application_get_accounts (app), account, &error));
  g_assert_no_error (error);
  cachet_credentials_provider_store_async (cachet_application_get_credentials (app),
                                           cachet_account_get_id (account), CACHET_SECRET_PASSWORD,
                                           cachet_test_operator_get (password_key), NULL, stored_cb, &stored);
  cachet_test_iterate_until (is_true, &stored, "the message to be stored");

  return g_steal_pointer (&account);
}

/* What Nautilus delivers when files are dropped on a window. */
static gboolean
drop_files (CachetComposerWindow *composer,
            GFile                *file)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (composer_child (composer, "content_box"));
  g_autoptr(GSList) files = g_slist_prepend (NULL, file);
  g_auto(GValue) value = G_VALUE_INIT;
  GtkDropTarget *target = NULL;
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && target == NULL; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        target = GTK_DROP_TARGET (controller);
    }
  g_assert_nonnull (target);
  g_assert_true (g_type_is_a (GDK_TYPE_FILE_LIST, gtk_drop_target_get_gtypes (target, NULL)[0]));

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (files));
  g_signal_emit_by_name (target, "drop", &value, 20.0, 20.0, &handled);

  return handled;
}

static gboolean
has_attachment_row (gpointer data)
{
  return gtk_list_box_get_row_at_index (composer_child (data, "attachment_list"), 0) != NULL;
}

typedef struct
{
  CachetStore *store;
  const char  *subject;
  gboolean     running;
  GBytes      *found;
} BobInbox;

static void
bob_synced_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  BobInbox *inbox = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = NULL;

  g_assert_true (cachet_account_sync_run_finish (CACHET_ACCOUNT_SYNC (source), result, NULL, &error));
  g_assert_no_error (error);
  messages = cachet_store_list_messages (inbox->store, "INBOX", 0, 100, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < messages->len && inbox->found == NULL; i++)
    {
      CachetMessageInfo *info = g_ptr_array_index (messages, i);

      if (g_strcmp0 (cachet_message_info_get_subject (info), inbox->subject) == 0)
        {
          inbox->found = cachet_store_load_message (inbox->store, "INBOX", cachet_message_info_get_uid (info),
                                                    NULL, &error);
          g_assert_no_error (error);
        }
    }
  inbox->running = FALSE;
}

/* Syncs bob's account, as his own mail program would, into a store of its
 * own, until the message with @subject is there. */
static GBytes *
wait_in_bob_inbox (const char *subject)
{
  g_autoptr(CachetAccount) bob = NULL;
  g_autoptr(CachetTestCredentials) credentials = cachet_test_credentials_new ();
  g_autofree char *imap_url = g_strdup_printf ("imaps://127.0.0.1:%s", cachet_test_operator_get ("IMAPS_PORT"));
  g_autofree char *store_dir = NULL;
  g_autoptr(CachetStore) store = NULL;
  g_autoptr(GError) error = NULL;
  BobInbox inbox = { .subject = subject };
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  bob = cachet_account_new ("Bob", cachet_test_operator_get ("BOB_EMAIL"), imap_url, "smtp://127.0.0.1:1");
  cachet_account_set_ca_file (bob, cachet_test_operator_get ("CA_FILE"));
  cachet_test_credentials_set (credentials, cachet_account_get_id (bob), CACHET_SECRET_PASSWORD,
                               cachet_test_operator_get ("BOB_PASSWORD"));
  store_dir = g_dir_make_tmp ("cachet-bob-XXXXXX", &error);
  g_assert_no_error (error);
  store = cachet_store_new (store_dir, cachet_account_get_id (bob), NULL, &error);
  g_assert_no_error (error);
  inbox.store = store;

  /* Delivery through Postfix and LMTP takes a moment. */
  while (inbox.found == NULL && g_get_monotonic_time () < deadline)
    {
      g_autoptr(CachetAccountSync) sync =
        cachet_account_sync_new (bob, CACHET_CREDENTIALS_PROVIDER (credentials), store);
      gboolean pause = FALSE;

      inbox.running = TRUE;
      cachet_account_sync_run_async (sync, NULL, bob_synced_cb, &inbox);
      while (inbox.running)
        g_main_context_iteration (NULL, TRUE);
      if (inbox.found == NULL)
        {
          g_timeout_add (500, pause_over_cb, &pause);
          while (!pause)
            g_main_context_iteration (NULL, TRUE);
        }
    }
  g_assert_nonnull (inbox.found);

  return inbox.found;
}

static GBytes *
decoded_content (GMimePart *part)
{
  g_autoptr(GMimeStream) stream = g_mime_stream_mem_new ();
  GByteArray *array;

  g_assert_cmpint (g_mime_data_wrapper_write_to_stream (g_mime_part_get_content (part), stream), >=, 0);
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
  return g_bytes_new (array->data, array->len);
}

static void
test_composer_sends_a_dropped_file (void)
{
  g_autoptr(CachetAccount) alice = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GByteArray) content = g_byte_array_new ();
  g_autoptr(GBytes) received = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GBytes) attachment_data = NULL;
  g_autofree char *expected_size = NULL;
  CachetComposerWindow *composer;
  GtkListBoxRow *row;
  GMimeMultipart *mixed;
  GMimeObject *attached;

  if (!cachet_test_operator_start (CACHET_TEST_OPERATOR_NONE, "IMAPS_PORT", "SUBMISSION_PORT", "CA_FILE",
                                   "ALICE_EMAIL", "BOB_EMAIL", NULL))
    return;

  alice = add_operator_account ("ALICE");

  /* Binary content, every byte value, as a scanned report would have. */
  g_byte_array_set_size (content, 300 * 1024);
  for (guint i = 0; i < content->len; i++)
    content->data[i] = (guint8) (i * 7 + i / 256);
  dir = g_dir_make_tmp ("cachet-composer-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "compte-rendu.pdf", NULL);
  g_assert_true (g_file_set_contents (path, (const char *) content->data, content->len, &error));
  file = g_file_new_for_path (path);

  composer = cachet_composer_window_new (app, alice);
  g_object_add_weak_pointer (G_OBJECT (composer), (gpointer *) &composer);
  gtk_window_present (GTK_WINDOW (composer));
  g_assert_false (can_send (composer));

  gtk_editable_set_text (composer_child (composer, "to_entry"), cachet_test_operator_get ("BOB_EMAIL"));
  gtk_editable_set_text (composer_child (composer, "subject_entry"), "Compte rendu de consultation");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (composer_child (composer, "body_view")),
                            "Bonjour,\nvoici le compte rendu.\n", -1);

  g_assert_true (drop_files (composer, file));
  cachet_test_iterate_until (has_attachment_row, composer, "has attachment row");
  row = gtk_list_box_get_row_at_index (composer_child (composer, "attachment_list"), 0);
  expected_size = g_format_size (content->len);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "compte-rendu.pdf");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, expected_size);
  g_assert_nonnull (strstr (gtk_label_get_text (composer_child (composer, "total_size_label")), expected_size));
  g_assert_false (gtk_revealer_get_reveal_child (composer_child (composer, "size_warning_revealer")));
  g_assert_true (can_send (composer));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (composer), "composer.send", NULL));
  /* The window closes once the outbox holds the message. */
  cachet_test_iterate_until (is_null, &composer, "is null");

  received = wait_in_bob_inbox ("Compte rendu de consultation");
  message = cachet_mime_parse_message (received, &error);
  g_assert_no_error (error);
  g_assert_true (GMIME_IS_MULTIPART (g_mime_message_get_mime_part (message)));
  mixed = GMIME_MULTIPART (g_mime_message_get_mime_part (message));
  g_assert_cmpint (g_mime_multipart_get_count (mixed), ==, 2);
  attached = g_mime_multipart_get_part (mixed, 1);
  g_assert_true (GMIME_IS_PART (attached));
  g_assert_cmpstr (g_mime_part_get_filename (GMIME_PART (attached)), ==, "compte-rendu.pdf");
  attachment_data = decoded_content (GMIME_PART (attached));
  g_assert_cmpmem (g_bytes_get_data (attachment_data, NULL), g_bytes_get_size (attachment_data),
                   content->data, content->len);
}

/* An account whose servers are never reached. */
static CachetAccount *
dup_offline_account (void)
{
  CachetAccountList *accounts = cachet_application_get_accounts (app);
  g_autoptr(CachetAccount) account = cachet_account_list_find_by_name (accounts, "Cabinet Martin", NULL);
  g_autoptr(GError) error = NULL;

  if (account == NULL)
    {
      account = cachet_account_new ("Cabinet Martin", "secretariat@demo.cachet.test",
                                    "imaps://127.0.0.1:1", "smtps://127.0.0.1:1");
      g_assert_true (cachet_account_list_add (accounts, account, &error));
      g_assert_no_error (error);
    }
  return g_steal_pointer (&account);
}

static CachetComposerWindow *
new_offline_composer (void)
{
  g_autoptr(CachetAccount) account = dup_offline_account ();
  CachetComposerWindow *composer = cachet_composer_window_new (app, account);

  gtk_window_present (GTK_WINDOW (composer));

  return composer;
}

static void
test_composer_checks_recipients (void)
{
  CachetComposerWindow *composer = new_offline_composer ();
  GtkWidget *to_entry = composer_child (composer, "to_entry");
  GtkWidget *cc_entry = composer_child (composer, "cc_entry");

  gtk_editable_set_text (GTK_EDITABLE (to_entry), "dr.martin@demo.cachet.test, not an address");
  g_assert_false (can_send (composer));
  g_assert_true (gtk_widget_has_css_class (to_entry, "error"));

  gtk_editable_set_text (GTK_EDITABLE (to_entry), "Dr Martin <dr.martin@demo.cachet.test>, labo@demo.cachet.test");
  g_assert_true (can_send (composer));
  g_assert_false (gtk_widget_has_css_class (to_entry, "error"));

  /* A hidden field still counts once it holds something. */
  gtk_toggle_button_set_active (composer_child (composer, "cc_toggle"), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (cc_entry), "a@b@c");
  g_assert_false (can_send (composer));
  g_assert_true (gtk_widget_has_css_class (cc_entry, "error"));
  gtk_editable_set_text (GTK_EDITABLE (cc_entry), "");
  g_assert_true (can_send (composer));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (composer), "composer.discard", NULL));
}

static void
test_composer_warns_about_size (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  CachetComposerWindow *composer = new_offline_composer ();
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *expected_size = g_format_size (2000);
  g_autofree char *content = g_strnfill (2000, 'x');
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  GtkListBoxRow *row;

  g_assert_cmpuint (g_settings_get_uint64 (settings, "attachment-warning-size"), ==, 25 * 1024 * 1024);
  g_settings_set_uint64 (settings, "attachment-warning-size", 1000);
  dir = g_dir_make_tmp ("cachet-composer-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "radio.jpg", NULL);
  g_assert_true (g_file_set_contents (path, content, 2000, &error));
  file = g_file_new_for_path (path);

  g_assert_false (gtk_revealer_get_reveal_child (composer_child (composer, "attachments_revealer")));
  cachet_composer_window_add_file (composer, file);
  cachet_test_iterate_until (has_attachment_row, composer, "has attachment row");
  g_assert_true (gtk_revealer_get_reveal_child (composer_child (composer, "size_warning_revealer")));
  g_assert_nonnull (strstr (gtk_label_get_text (composer_child (composer, "size_warning_label")), expected_size));

  /* Above the limit is a warning, not a refusal; under it again, it goes. */
  g_settings_set_uint64 (settings, "attachment-warning-size", 5000);
  g_assert_false (gtk_revealer_get_reveal_child (composer_child (composer, "size_warning_revealer")));
  g_settings_set_uint64 (settings, "attachment-warning-size", 1000);
  g_assert_true (gtk_revealer_get_reveal_child (composer_child (composer, "size_warning_revealer")));
  row = gtk_list_box_get_row_at_index (composer_child (composer, "attachment_list"), 0);
  g_signal_emit_by_name (row, "remove");
  g_assert_null (gtk_list_box_get_row_at_index (composer_child (composer, "attachment_list"), 0));
  g_assert_false (gtk_revealer_get_reveal_child (composer_child (composer, "size_warning_revealer")));
  g_assert_false (gtk_revealer_get_reveal_child (composer_child (composer, "attachments_revealer")));

  g_settings_reset (settings, "attachment-warning-size");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (composer), "composer.discard", NULL));
}

static CachetDrafts *
offline_drafts (void)
{
  g_autoptr(CachetAccount) account = dup_offline_account ();
  g_autoptr(GError) error = NULL;
  CachetStore *store = cachet_application_get_store (app, account, &error);

  g_assert_no_error (error);
  return cachet_drafts_new (cachet_store_get_account_dir (store));
}

typedef struct
{
  CachetDrafts *drafts;
  guint         expected;
  GPtrArray    *found;
} DraftsWait;

static gboolean
has_drafts (gpointer data)
{
  DraftsWait *wait = data;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&wait->found, g_ptr_array_unref);
  wait->found = cachet_drafts_list (wait->drafts, NULL, &error);
  g_assert_no_error (error);
  return wait->found->len == wait->expected;
}

static void
reply_ready_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CachetComposerWindow **composer = user_data;
  g_autoptr(GError) error = NULL;

  *composer = cachet_composer_window_new_reply_finish (result, &error);
  g_assert_no_error (error);
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

/* Stores @raw in the offline account's inbox, as message @uid. */
static CachetMessageInfo *
store_in_offline_inbox (const char *raw,
                        guint32     uid)
{
  g_autoptr(CachetAccount) account = dup_offline_account ();
  g_autoptr(GBytes) bytes = g_bytes_new_static (raw, strlen (raw));
  g_autoptr(GError) error = NULL;
  const CachetFolderInfo inbox = { .name = (char *) "INBOX", .uidvalidity = 7 };
  CachetStore *store = cachet_application_get_store (app, account, &error);
  CachetMessageInfo *info;

  g_assert_no_error (error);
  g_assert_true (cachet_store_upsert_folder (store, &inbox, &error));
  info = cachet_store_add_message (store, "INBOX", 7, uid, bytes, 0, NULL, 1768469400, 0, NULL, &error);
  g_assert_no_error (error);
  return info;
}

/* Answers a stored message, as Reply does in the main window. */
static CachetComposerWindow *
reply_to_stored (const char      *raw,
                 CachetReplyKind  kind)
{
  g_autoptr(CachetAccount) account = dup_offline_account ();
  g_autoptr(CachetMessageInfo) info = store_in_offline_inbox (raw, 1);
  CachetStore *store = cachet_application_get_store (app, account, NULL);
  CachetComposerWindow *composer = NULL;

  cachet_composer_window_new_reply_async (app, account, store, info, kind, NULL, reply_ready_cb, &composer);
  cachet_test_iterate_until (is_set, &composer, "is set");
  gtk_window_present (GTK_WINDOW (composer));
  return composer;
}

static gboolean
draft_resumed (gpointer data)
{
  CachetComposerWindow *composer = data;

  /* The offer comes once the drafts are read, in the background. */
  gtk_widget_activate_action (GTK_WIDGET (composer), "composer.resume-draft", NULL);
  return *gtk_editable_get_text (composer_child (composer, "to_entry")) != '\0';
}

static void
test_composer_fills_a_reply (void)
{
  static const char original[] =
    "From: Laboratoire <labo@demo.cachet.test>\r\n"
    "Reply-To: resultats@demo.cachet.test\r\n"
    "To: secretariat@demo.cachet.test, dr.martin@demo.cachet.test\r\n"
    "Subject: RE: Fwd: =?UTF-8?Q?R=C3=A9sultats?=\r\n"
    "Date: Thu, 15 Jan 2026 10:30:00 +0100\r\n"
    "Message-ID: <result-42@demo.cachet.test>\r\n"
    "References: <root@demo.cachet.test>\r\n"
    "\r\n"
    "Les résultats sont prêts.\r\n";
  CachetComposerWindow *composer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CachetDrafts) drafts = offline_drafts ();
  g_autoptr(GMimeMessage) draft = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter start, end, cursor;
  g_autofree char *body = NULL;
  DraftsWait wait = { .drafts = drafts };

  composer = reply_to_stored (original, CACHET_REPLY_TO_ALL);
  buffer = gtk_text_view_get_buffer (composer_child (composer, "body_view"));

  g_assert_cmpstr (gtk_editable_get_text (composer_child (composer, "to_entry")), ==,
                   "resultats@demo.cachet.test, dr.martin@demo.cachet.test");
  g_assert_cmpstr (gtk_editable_get_text (composer_child (composer, "subject_entry")), ==, "Re: Résultats");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (composer)), ==, "Re: Résultats");
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  body = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_nonnull (strstr (body, "Laboratoire wrote:\n> Les résultats sont prêts.\n"));
  /* The user writes above the quote. */
  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  g_assert_true (gtk_text_iter_is_start (&cursor));
  g_assert_true (can_send (composer));

  /* Closing it unsent keeps a draft, thread headers and quote included. */
  gtk_text_buffer_insert_at_cursor (buffer, "Merci.", -1);
  gtk_window_close (GTK_WINDOW (composer));
  wait.expected = 1;
  cachet_test_iterate_until (has_drafts, &wait, "has drafts");
  draft = cachet_mime_parse_message (g_ptr_array_index (wait.found, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_mime_object_get_header (GMIME_OBJECT (draft), "In-Reply-To"), ==,
                   "<result-42@demo.cachet.test>");
  g_assert_cmpstr (g_mime_object_get_header (GMIME_OBJECT (draft), "References"), ==,
                   "<root@demo.cachet.test> <result-42@demo.cachet.test>");
  g_assert_cmpstr (g_mime_message_get_subject (draft), ==, "Re: Résultats");

  /* A new message offers to take it up again, as it was. */
  composer = new_offline_composer ();
  cachet_test_iterate_until (draft_resumed, composer, "draft resumed");
  g_assert_cmpstr (gtk_editable_get_text (composer_child (composer, "to_entry")), ==,
                   "resultats@demo.cachet.test, dr.martin@demo.cachet.test");
  g_assert_cmpstr (gtk_editable_get_text (composer_child (composer, "subject_entry")), ==, "Re: Résultats");
  g_clear_pointer (&body, g_free);
  gtk_text_buffer_get_bounds (buffer = gtk_text_view_get_buffer (composer_child (composer, "body_view")),
                              &start, &end);
  body = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_true (g_str_has_prefix (body, "Merci.\n"));

  /* Discarding it removes the draft. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (composer), "composer.discard", NULL));
  wait.expected = 0;
  cachet_test_iterate_until (has_drafts, &wait, "has drafts");
  g_clear_pointer (&wait.found, g_ptr_array_unref);
}

static CachetComposerWindow *
find_composer (void)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    {
      if (CACHET_IS_COMPOSER_WINDOW (l->data))
        return l->data;
    }
  return NULL;
}

static gboolean
composer_opened (gpointer data)
{
  return find_composer () != NULL;
}

static gboolean
has_messages (gpointer data)
{
  return g_list_model_get_n_items (data) > 0;
}

/* The main window's Forward acts on the one message selected. */
static void
test_composer_from_main_window (void)
{
  static const char original[] =
    "From: Dr Martin <martin@demo.cachet.test>\r\n"
    "To: secretariat@demo.cachet.test\r\n"
    "Subject: Compte rendu\r\n"
    "Message-ID: <cr-7@demo.cachet.test>\r\n"
    "\r\n"
    "Voici le compte rendu.\r\n";
  G_GNUC_UNUSED g_autoptr(CachetMessageInfo) info = store_in_offline_inbox (original, 2);
  GtkWindow *window;
  GtkSelectionModel *messages;
  CachetComposerWindow *composer;

  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_nonnull (window);
  messages = gtk_list_view_get_model (GTK_LIST_VIEW (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                                   CACHET_TYPE_WINDOW,
                                                                                   "message_list")));
  cachet_test_iterate_until (has_messages, messages, "has messages");

  /* Nothing selected: nothing to forward. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.forward", NULL);
  g_assert_null (find_composer ());

  gtk_selection_model_select_item (messages, 0, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.forward", NULL));
  cachet_test_iterate_until (composer_opened, NULL, "composer opened");
  composer = find_composer ();
  g_assert_cmpstr (gtk_editable_get_text (composer_child (composer, "subject_entry")), ==, "Fwd: Compte rendu");
  g_assert_cmpstr (gtk_editable_get_text (composer_child (composer, "to_entry")), ==, "");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (composer), "composer.discard", NULL));
  gtk_window_destroy (window);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  cachet_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();
  cachet_mime_init ();
  app = cachet_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/gui/composer/checks-recipients", test_composer_checks_recipients);
  g_test_add_func ("/gui/composer/warns-about-size", test_composer_warns_about_size);
  g_test_add_func ("/gui/composer/fills-a-reply", test_composer_fills_a_reply);
  g_test_add_func ("/gui/composer/from-main-window", test_composer_from_main_window);
  g_test_add_func ("/gui/composer/sends-a-dropped-file", test_composer_sends_a_dropped_file);

  status = g_test_run ();
  g_clear_object (&app);
  cachet_test_operator_stop ();
  return status;
}
