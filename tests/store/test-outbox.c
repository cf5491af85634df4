/* test-outbox.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The outbox's durable state machine, and the messages the builder composes.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>
#include <utime.h>

#include "cachet-account-data.h"
#include "cachet-message-builder.h"
#include "cachet-message-summary.h"
#include "cachet-mime.h"
#include "cachet-outbox-model.h"
#include "cachet-outbox.h"
#include "cachet-store-types.h"
#include "cachet-test-server.h"
#include "cachet-test-utils.h"

static const char *const recipients[] = { "bob@demo.cachet.test", "carol@demo.cachet.test", NULL };

static CachetOutbox *
new_outbox (const char *name)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), name, NULL);

  return cachet_outbox_new (dir);
}

static GPtrArray *
list (CachetOutbox *outbox)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = cachet_outbox_list (outbox, &error);

  g_assert_no_error (error);
  return entries;
}

static void
test_outbox_lifecycle (void)
{
  g_autoptr(CachetOutbox) outbox = new_outbox ("lifecycle");
  g_autoptr(GBytes) message = g_bytes_new_static ("Subject: x\r\n\r\ny\r\n", 17);
  g_autoptr(CachetOutboxEntry) entry = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GBytes) loaded = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  CachetOutboxEntry *reloaded;

  entries = list (outbox);
  g_assert_cmpuint (entries->len, ==, 0);
  g_clear_pointer (&entries, g_ptr_array_unref);

  entry = cachet_outbox_enqueue (outbox, message, recipients, &error);
  g_assert_no_error (error);
  g_assert_cmpint (entry->state, ==, CACHET_OUTBOX_QUEUED);
  g_assert_true (cachet_outbox_entry_is_due (entry, now));

  /* What the outbox keeps is what another process reads back. */
  entries = list (new_outbox ("lifecycle"));
  g_assert_cmpuint (entries->len, ==, 1);
  reloaded = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (reloaded->id, ==, entry->id);
  g_assert_cmpstrv (reloaded->recipients, recipients);
  loaded = cachet_outbox_load_message (outbox, entry->id, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (loaded, message));
  g_clear_pointer (&entries, g_ptr_array_unref);

  /* A temporary failure: queued again, due after a growing wait. */
  g_assert_true (cachet_outbox_mark_sending (outbox, entry, &error));
  g_assert_true (cachet_outbox_mark_retry (outbox, entry, "421 try later", now, &error));
  g_assert_no_error (error);
  g_assert_cmpint (entry->state, ==, CACHET_OUTBOX_QUEUED);
  g_assert_cmpint (entry->next_attempt, ==, now + 60);
  g_assert_false (cachet_outbox_entry_is_due (entry, now));
  g_assert_true (cachet_outbox_entry_is_due (entry, now + 60));
  g_assert_true (cachet_outbox_mark_sending (outbox, entry, &error));
  g_assert_true (cachet_outbox_mark_retry (outbox, entry, "421 try later", now, &error));
  g_assert_cmpint (entry->next_attempt, ==, now + 120);
  g_assert_cmpuint (entry->attempts, ==, 2);

  /* Accepted is recorded, and a failure to copy to Sent keeps it accepted:
   * it must never be sent again. */
  g_assert_true (cachet_outbox_mark_sending (outbox, entry, &error));
  g_assert_true (cachet_outbox_mark_accepted (outbox, entry, "4ABC123", &error));
  g_assert_true (cachet_outbox_mark_retry (outbox, entry, "IMAP down", now, &error));
  entries = list (outbox);
  reloaded = g_ptr_array_index (entries, 0);
  g_assert_cmpint (reloaded->state, ==, CACHET_OUTBOX_ACCEPTED);
  g_assert_cmpstr (reloaded->queue_id, ==, "4ABC123");
  g_assert_cmpstr (reloaded->last_error, ==, "IMAP down");
  g_clear_pointer (&entries, g_ptr_array_unref);

  g_assert_true (cachet_outbox_remove (outbox, entry, &error));
  g_assert_no_error (error);
  entries = list (outbox);
  g_assert_cmpuint (entries->len, ==, 0);
}

/* Dates @path hours back, as a file a crash left behind. */
static void
make_old (const char *path)
{
  gint64 hours_ago = g_get_real_time () / G_USEC_PER_SEC - 3 * 60 * 60;
  struct utimbuf old_times = { (time_t) hours_ago, (time_t) hours_ago };

  g_assert_cmpint (g_utime (path, &old_times), ==, 0);
}

static void
test_outbox_interrupted_states (void)
{
  g_autoptr(CachetOutbox) outbox = new_outbox ("interrupted");
  g_autoptr(GBytes) message = g_bytes_new_static ("x", 1);
  g_autoptr(CachetOutboxEntry) sending = NULL;
  g_autoptr(CachetOutboxEntry) failed = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *half_written = g_build_filename (g_get_user_data_dir (), "interrupted", "20260101T000000-00000000.eml", NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  sending = cachet_outbox_enqueue (outbox, message, recipients, &error);
  g_assert_true (cachet_outbox_mark_sending (outbox, sending, &error));
  failed = cachet_outbox_enqueue (outbox, message, recipients, &error);
  g_assert_true (cachet_outbox_mark_failed (outbox, failed, "550 no such user", &error));
  /* A crash while enqueueing, long ago: the message file without its
   * state. */
  g_assert_true (g_file_set_contents (half_written, "x", 1, &error));
  make_old (half_written);

  entries = list (outbox);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_false (g_file_test (half_written, G_FILE_TEST_EXISTS));
  /* Interrupted while sending: due again; refused for good: never. */
  for (guint i = 0; i < entries->len; i++)
    {
      CachetOutboxEntry *entry = g_ptr_array_index (entries, i);

      g_assert_cmpint (cachet_outbox_entry_is_due (entry, now), ==, g_str_equal (entry->id, sending->id));
    }
}

/* Another process may be queueing a message while this one lists the
 * outbox: a message file whose state is not written yet is left alone. What
 * a crash left, files nobody wrote for hours, goes. */
static void
test_outbox_queueing_elsewhere (void)
{
  g_autoptr(CachetOutbox) outbox = new_outbox ("queueing");
  g_autoptr(CachetOutboxEntry) entry = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GBytes) message = g_bytes_new_static ("Subject: x\r\n\r\ny\r\n", 17);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "queueing", NULL);
  g_autofree char *being_queued = g_build_filename (dir, "20261129T230000-0000000000000001.eml", NULL);
  g_autofree char *abandoned = g_build_filename (dir, "20261129T010000-0000000000000002.eml", NULL);
  g_autofree char *temporary = g_build_filename (dir, "20261129T010000-0000000000000003.state.Q1W2E3", NULL);

  entry = cachet_outbox_enqueue (outbox, message, recipients, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (being_queued, "Subject: y\r\n\r\nz\r\n", -1, NULL));
  g_assert_true (g_file_set_contents (abandoned, "Subject: y\r\n\r\nz\r\n", -1, NULL));
  g_assert_true (g_file_set_contents (temporary, "[Outbox]\n", -1, NULL));
  make_old (abandoned);
  make_old (temporary);

  entries = list (outbox);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_true (g_file_test (being_queued, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (abandoned, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (temporary, G_FILE_TEST_EXISTS));
}

static const char subject_message[] =
  "Subject: =?UTF-8?Q?R=C3=A9sultats_de_M=2E_Durand?=\r\n"
  "\r\n"
  "Bonjour\r\n";

static void
test_outbox_subject (void)
{
  g_autoptr(CachetOutbox) outbox = new_outbox ("subject");
  g_autoptr(GBytes) message = g_bytes_new_static (subject_message, strlen (subject_message));
  g_autoptr(CachetOutboxEntry) entry = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GKeyFile) state = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *state_name = NULL;
  g_autofree char *state_path = NULL;
  CachetOutboxEntry *reloaded;

  entry = cachet_outbox_enqueue (outbox, message, recipients, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (entry->subject, ==, "Résultats de M. Durand");

  /* A state file written before subjects were kept: read from the message. */
  state_name = g_strconcat (entry->id, ".state", NULL);
  state_path = g_build_filename (cachet_outbox_get_dir (outbox), state_name, NULL);
  g_assert_true (g_key_file_load_from_file (state, state_path, G_KEY_FILE_NONE, &error));
  g_assert_true (g_key_file_remove_key (state, "Outbox", "Subject", &error));
  g_assert_true (g_key_file_save_to_file (state, state_path, &error));
  g_assert_no_error (error);

  entries = list (outbox);
  g_assert_cmpuint (entries->len, ==, 1);
  reloaded = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (reloaded->subject, ==, "Résultats de M. Durand");
}

static void
test_outbox_retry_now (void)
{
  g_autoptr(CachetOutbox) outbox = new_outbox ("retry-now");
  g_autoptr(GBytes) message = g_bytes_new_static ("x", 1);
  g_autoptr(CachetOutboxEntry) waiting = NULL;
  g_autoptr(CachetOutboxEntry) failed = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  waiting = cachet_outbox_enqueue (outbox, message, recipients, &error);
  g_assert_true (cachet_outbox_mark_sending (outbox, waiting, &error));
  /* Being sent: nothing to retry until the server answers. */
  g_assert_false (cachet_outbox_retry_now (outbox, waiting, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_true (cachet_outbox_mark_retry (outbox, waiting, "421 try later", now, &error));
  g_assert_false (cachet_outbox_entry_is_due (waiting, now));

  g_assert_true (cachet_outbox_retry_now (outbox, waiting, &error));
  g_assert_no_error (error);
  g_assert_cmpint (waiting->state, ==, CACHET_OUTBOX_QUEUED);
  g_assert_true (cachet_outbox_entry_is_due (waiting, g_get_real_time () / G_USEC_PER_SEC));
  g_assert_cmpuint (waiting->attempts, ==, 1);

  failed = cachet_outbox_enqueue (outbox, message, recipients, &error);
  g_assert_true (cachet_outbox_mark_sending (outbox, failed, &error));
  g_assert_true (cachet_outbox_mark_failed (outbox, failed, "550 no such user", &error));
  g_assert_true (cachet_outbox_retry_now (outbox, failed, &error));
  g_assert_no_error (error);
  g_assert_cmpint (failed->state, ==, CACHET_OUTBOX_QUEUED);
  g_assert_cmpuint (failed->attempts, ==, 1);

  /* Kept as such on disk. */
  {
    g_autoptr(GPtrArray) entries = list (new_outbox ("retry-now"));

    for (guint i = 0; i < entries->len; i++)
      {
        CachetOutboxEntry *entry = g_ptr_array_index (entries, i);

        g_assert_cmpint (entry->state, ==, CACHET_OUTBOX_QUEUED);
        g_assert_true (cachet_outbox_entry_is_due (entry, g_get_real_time () / G_USEC_PER_SEC));
      }
    g_assert_cmpuint (entries->len, ==, 2);
  }
}

static void
test_outbox_cancel (void)
{
  g_autoptr(CachetOutbox) outbox = new_outbox ("cancel");
  g_autoptr(GBytes) message = g_bytes_new_static ("x", 1);
  g_autoptr(CachetOutboxEntry) queued = NULL;
  g_autoptr(CachetOutboxEntry) failed = NULL;
  g_autoptr(CachetOutboxEntry) sending = NULL;
  g_autoptr(CachetOutboxEntry) accepted = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  queued = cachet_outbox_enqueue (outbox, message, recipients, &error);
  failed = cachet_outbox_enqueue (outbox, message, recipients, &error);
  g_assert_true (cachet_outbox_mark_failed (outbox, failed, "550 no such user", &error));
  sending = cachet_outbox_enqueue (outbox, message, recipients, &error);
  g_assert_true (cachet_outbox_mark_sending (outbox, sending, &error));
  accepted = cachet_outbox_enqueue (outbox, message, recipients, &error);
  g_assert_true (cachet_outbox_mark_accepted (outbox, accepted, "4XyZ", &error));
  g_assert_no_error (error);

  /* What the server has, or may have, cannot be called back. */
  g_assert_false (cachet_outbox_cancel (outbox, sending, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_false (cachet_outbox_cancel (outbox, accepted, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_clear_error (&error);

  g_assert_true (cachet_outbox_cancel (outbox, queued, &error));
  g_assert_true (cachet_outbox_cancel (outbox, failed, &error));
  g_assert_no_error (error);

  entries = list (outbox);
  g_assert_cmpuint (entries->len, ==, 2);
  for (guint i = 0; i < entries->len; i++)
    {
      CachetOutboxEntry *entry = g_ptr_array_index (entries, i);

      g_assert_true (g_str_equal (entry->id, sending->id) || g_str_equal (entry->id, accepted->id));
    }

  /* A flush that still held a cancelled entry writes its state alone: the
   * next listing drops it. */
  g_assert_true (cachet_outbox_mark_retry (outbox, queued, "421 try later", 0, &error));
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = list (outbox);
  g_assert_cmpuint (entries->len, ==, 2);
  {
    g_autofree char *name = g_strconcat (queued->id, ".state", NULL);
    g_autofree char *path = g_build_filename (cachet_outbox_get_dir (outbox), name, NULL);

    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }
}

static void
wait_for_items (GListModel *model,
                guint       n_items)
{
  while (g_list_model_get_n_items (model) != n_items)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_outbox_model (void)
{
  g_autoptr(CachetOutbox) outbox = new_outbox ("model");
  g_autoptr(CachetOutboxModel) model = cachet_outbox_model_new (outbox, "account-1");
  g_autoptr(CachetOutbox) other_process = new_outbox ("model");
  g_autoptr(GBytes) message = g_bytes_new_static (subject_message, strlen (subject_message));
  g_autoptr(CachetOutboxEntry) first = NULL;
  g_autoptr(CachetOutboxEntry) second = NULL;
  g_autoptr(CachetOutboxItem) item = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *shown_recipients = NULL;

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == CACHET_TYPE_OUTBOX_ITEM);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);

  first = cachet_outbox_enqueue (outbox, message, recipients, &error);
  g_assert_no_error (error);
  wait_for_items (G_LIST_MODEL (model), 1);

  item = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpstr (cachet_outbox_item_get_account_id (item), ==, "account-1");
  g_assert_cmpstr (cachet_outbox_item_get_entry (item)->id, ==, first->id);
  g_assert_cmpstr (cachet_outbox_item_get_entry (item)->subject, ==, "Résultats de M. Durand");
  shown_recipients = cachet_outbox_item_dup_recipients (item);
  g_assert_cmpstr (shown_recipients, ==, "bob@demo.cachet.test, carol@demo.cachet.test");

  /* Written by another program, such as cachet-cli: seen through the folder. */
  second = cachet_outbox_enqueue (other_process, message, recipients, &error);
  g_assert_no_error (error);
  wait_for_items (G_LIST_MODEL (model), 2);

  g_assert_true (cachet_outbox_cancel (outbox, first, &error));
  g_assert_no_error (error);
  wait_for_items (G_LIST_MODEL (model), 1);
  g_clear_object (&item);
  item = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpstr (cachet_outbox_item_get_entry (item)->id, ==, second->id);
}

static void
test_account_data_delete (void)
{
  g_autofree char *dir = cachet_account_data_get_dir ("deleted-account");
  g_autofree char *maildir = g_build_filename (dir, "mail", "INBOX", "cur", NULL);
  g_autofree char *message = g_build_filename (maildir, "1.eml", NULL);
  g_autofree char *outside = g_build_filename (g_get_user_data_dir (), "outside.txt", NULL);
  g_autofree char *link = g_build_filename (dir, "link", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (maildir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (message, "x", 1, &error));
  g_assert_true (g_file_set_contents (outside, "kept", 4, &error));
  g_assert_cmpint (symlink (outside, link), ==, 0);

  cachet_account_data_delete_async ("deleted-account", NULL, cachet_test_result_cb, &result);
  g_assert_true (cachet_account_data_delete_finish (cachet_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  /* A link is removed, never followed. */
  g_assert_true (g_file_test (outside, G_FILE_TEST_IS_REGULAR));

  /* Nothing left to delete is no error; a path is no account id. */
  g_clear_object (&result);
  cachet_account_data_delete_async ("deleted-account", NULL, cachet_test_result_cb, &result);
  g_assert_true (cachet_account_data_delete_finish (cachet_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  cachet_account_data_delete_async ("..", NULL, cachet_test_result_cb, &result);
  g_assert_false (cachet_account_data_delete_finish (cachet_test_wait_result (&result), &error));
  g_assert_error (error, CACHET_STORE_ERROR, CACHET_STORE_ERROR_INVALID);
}

static void
test_builder_composes_readable_mail (void)
{
  g_autoptr(CachetMessageBuilder) builder = cachet_message_builder_new ("Dr Hélène Martin", "helene@demo.cachet.test");
  g_autofree char *attachment_path = g_build_filename (g_get_user_data_dir (), "résultat.txt", NULL);
  g_autoptr(GFile) attachment = g_file_new_for_path (attachment_path);
  g_autoptr(GBytes) message = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envelope = NULL;
  g_autofree char *text = NULL;
  CachetMessageSummary *summary;

  g_assert_true (g_file_set_contents (attachment_path, "Glycémie : 5,4 mmol/L\n", -1, &error));
  cachet_message_builder_add_to (builder, "bob@demo.cachet.test");
  cachet_message_builder_add_cc (builder, "carol@demo.cachet.test");
  cachet_message_builder_set_subject (builder, "Résultats — patient n°42");
  cachet_message_builder_set_body (builder, "Bonjour,\n.\nCi-joint les résultats.\n");
  g_assert_true (cachet_message_builder_add_attachment (builder, attachment, NULL, &error));
  g_assert_no_error (error);

  message = cachet_message_builder_build (builder, &error);
  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message));
  /* Every line ends with CRLF, and nothing 8-bit goes out raw. */
  for (const char *p = text; *p != '\0'; p++)
    {
      g_assert_cmpint ((guchar) *p, <, 0x80);
      if (*p == '\n')
        g_assert_true (p > text && p[-1] == '\r');
    }
  g_assert_nonnull (strstr (text, "Message-Id: <"));
  g_assert_nonnull (strstr (text, "@demo.cachet.test>"));

  summary = cachet_message_summary_new_from_bytes (message, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (summary->subject, ==, "Résultats — patient n°42");
  g_assert_cmpstr (summary->from->name, ==, "Dr Hélène Martin");
  g_assert_true (summary->has_attachment);
  g_assert_nonnull (strstr (summary->body_text, "Ci-joint les résultats."));
  cachet_message_summary_free (summary);

  envelope = cachet_message_builder_dup_recipients (builder);
  g_assert_cmpstrv (envelope, recipients);
}

static void
test_builder_refuses_bad_addresses (void)
{
  const char *const bad[] = { "bob@demo.cachet.test\r\nBcc: eve@evil.example", "bob", "<bob@x.fr>",
                              "bob@x.fr, eve@evil.example", "" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(CachetMessageBuilder) builder = cachet_message_builder_new (NULL, "a@demo.cachet.test");
      g_autoptr(GBytes) message = NULL;
      g_autoptr(GError) error = NULL;

      cachet_message_builder_add_to (builder, bad[i]);
      message = cachet_message_builder_build (builder, &error);
      g_assert_null (message);
      g_assert_error (error, CACHET_MIME_ERROR, CACHET_MIME_ERROR_INVALID);
    }

  {
    g_autoptr(CachetMessageBuilder) nobody = cachet_message_builder_new (NULL, "a@demo.cachet.test");
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) message = cachet_message_builder_build (nobody, &error);

    g_assert_null (message);
    g_assert_error (error, CACHET_MIME_ERROR, CACHET_MIME_ERROR_INVALID);
  }
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init (&argc, &argv);
  cachet_mime_init ();

  g_test_add_func ("/store/outbox/lifecycle", test_outbox_lifecycle);
  g_test_add_func ("/store/outbox/interrupted-states", test_outbox_interrupted_states);
  g_test_add_func ("/store/outbox/queueing-elsewhere", test_outbox_queueing_elsewhere);
  g_test_add_func ("/store/outbox/subject", test_outbox_subject);
  g_test_add_func ("/store/outbox/retry-now", test_outbox_retry_now);
  g_test_add_func ("/store/outbox/cancel", test_outbox_cancel);
  g_test_add_func ("/store/outbox/model", test_outbox_model);
  g_test_add_func ("/store/account-data/delete", test_account_data_delete);
  g_test_add_func ("/mime/builder/composes-readable-mail", test_builder_composes_readable_mail);
  g_test_add_func ("/mime/builder/refuses-bad-addresses", test_builder_refuses_bad_addresses);

  return g_test_run ();
}
