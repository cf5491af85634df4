/* cachet-outbox-sender.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cachet-imap-mailbox.h"
#include "cachet-imap-session.h"
#include "cachet-message-summary.h"
#include "cachet-outbox-sender.h"
#include "cachet-smtp-error.h"
#include "cachet-smtp-session.h"

/* Drives the outbox's state machine: each due message goes to the SMTP
 * server, then, once accepted (and recorded so), is copied to the Sent
 * folder over IMAP, and only then leaves the outbox. One SMTP and one IMAP
 * connection serve the whole flush, each opened only if needed. */

struct _CachetOutboxSender
{
  GObject                    parent_instance;

  CachetAccount             *account;
  CachetCredentialsProvider *credentials;
  CachetOutbox              *outbox;
};

G_DEFINE_FINAL_TYPE (CachetOutboxSender, cachet_outbox_sender, G_TYPE_OBJECT)

typedef struct
{
  GPtrArray          *entries;
  guint               next;
  CachetSmtpSession  *smtp;
  CachetImapSession  *imap;
  char               *sent_mailbox;
  /* The current entry was accepted by a run that stopped before its copy
   * to Sent was done, or known to be done; its Message-ID, to look for it. */
  gboolean            resuming_copy;
  char               *message_id;
  CachetOutboxReport *report;
} Flush;

static void flush_next (GTask *task);

void
cachet_outbox_report_free (CachetOutboxReport *report)
{
  g_free (report->last_error);
  g_free (report);
}

static void
flush_free (Flush *flush)
{
  g_clear_pointer (&flush->entries, g_ptr_array_unref);
  g_clear_object (&flush->smtp);
  g_clear_object (&flush->imap);
  g_clear_pointer (&flush->sent_mailbox, g_free);
  g_clear_pointer (&flush->message_id, g_free);
  g_clear_pointer (&flush->report, cachet_outbox_report_free);
  g_free (flush);
}

/**
 * cachet_outbox_sender_new:
 * @account: the account whose servers send and keep the messages
 * @credentials: where the account's password is
 * @outbox: the account's outbox
 *
 * Returns: (transfer full): a sender
 */
CachetOutboxSender *
cachet_outbox_sender_new (CachetAccount             *account,
                          CachetCredentialsProvider *credentials,
                          CachetOutbox              *outbox)
{
  CachetOutboxSender *self = g_object_new (CACHET_TYPE_OUTBOX_SENDER, NULL);

  self->account = g_object_ref (account);
  self->credentials = g_object_ref (credentials);
  self->outbox = g_object_ref (outbox);

  return self;
}

static CachetOutboxEntry *
current_entry (Flush *flush)
{
  return g_ptr_array_index (flush->entries, flush->next);
}

static void
note_error (Flush        *flush,
            const GError *error)
{
  g_free (flush->report->last_error);
  flush->report->last_error = g_strdup (error->message);
}

/* A message left in the outbox: refused for good, or to be tried again. */
static void
count_left (Flush             *flush,
            CachetOutboxEntry *entry)
{
  if (entry->state == CACHET_OUTBOX_FAILED)
    flush->report->failed++;
  else
    flush->report->waiting++;
}

/* A failure to reach a server ends the flush: every later message would meet
 * it too. Each message keeps its place, with a retry time. */
static void
give_up (GTask        *task,
         const GError *error)
{
  CachetOutboxSender *self = g_task_get_source_object (task);
  Flush *flush = g_task_get_task_data (task);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  note_error (flush, error);
  for (; flush->next < flush->entries->len; flush->next++)
    {
      CachetOutboxEntry *entry = current_entry (flush);
      g_autoptr(GError) save_error = NULL;

      if (cachet_outbox_entry_is_due (entry, now) &&
          !cachet_outbox_mark_retry (self->outbox, entry, error->message, now, &save_error))
        g_warning ("Cannot update the outbox: %s", save_error->message);
      count_left (flush, entry);
    }
  flush_next (task);
}

static void
entry_done (GTask *task)
{
  Flush *flush = g_task_get_task_data (task);

  flush->next++;
  flush_next (task);
}

/* Sent and in Sent: the message leaves the outbox. */
static void
entry_sent (GTask *task)
{
  CachetOutboxSender *self = g_task_get_source_object (task);
  Flush *flush = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!cachet_outbox_remove (self->outbox, current_entry (flush), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  flush->report->sent++;
  entry_done (task);
}

static void
appended_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!cachet_imap_session_append_finish (CACHET_IMAP_SESSION (source), result, NULL, NULL, &error))
    {
      give_up (task, error);
      return;
    }
  entry_sent (task);
}

static void
append_to_sent (GTask *task)
{
  CachetOutboxSender *self = g_task_get_source_object (task);
  Flush *flush = g_task_get_task_data (task);
  g_autoptr(GBytes) message = NULL;
  g_autoptr(GError) error = NULL;
  static const char *const seen[] = { "\\Seen", NULL };

  message = cachet_outbox_load_message (self->outbox, current_entry (flush)->id, &error);
  if (message == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  cachet_imap_session_append_async (flush->imap, flush->sent_mailbox, message, seen, NULL,
                                    g_task_get_cancellable (task), appended_cb, g_object_ref (task));
}

static void
sent_copy_searched_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GArray) uids = NULL;
  g_autoptr(GError) error = NULL;

  uids = cachet_imap_session_uid_search_finish (CACHET_IMAP_SESSION (source), result, &error);
  if (uids == NULL)
    {
      give_up (task, error);
      return;
    }
  if (uids->len > 0)
    entry_sent (task);
  else
    append_to_sent (task);
}

static void
sent_examined_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(CachetImapSelectResult) examined = NULL;
  g_autoptr(GError) error = NULL;
  Flush *flush = g_task_get_task_data (task);

  examined = cachet_imap_session_select_finish (CACHET_IMAP_SESSION (source), result, &error);
  if (examined == NULL)
    {
      give_up (task, error);
      return;
    }
  cachet_imap_session_uid_search_message_id_async (CACHET_IMAP_SESSION (source), flush->message_id,
                                                   g_task_get_cancellable (task),
                                                   sent_copy_searched_cb, g_object_ref (task));
}

/* A run that stopped between the copy to Sent and the removal from the
 * outbox left the copy there: it is looked for, by Message-ID, before a
 * second one is made. */
static void
save_to_sent (GTask *task)
{
  CachetOutboxSender *self = g_task_get_source_object (task);
  Flush *flush = g_task_get_task_data (task);
  g_autoptr(CachetMessageSummary) summary = NULL;
  g_autoptr(GBytes) message = NULL;

  if (flush->resuming_copy)
    message = cachet_outbox_load_message (self->outbox, current_entry (flush)->id, NULL);
  if (message != NULL)
    summary = cachet_message_summary_new_from_bytes (message, NULL);
  if (summary == NULL || summary->message_id == NULL)
    {
      append_to_sent (task);
      return;
    }
  g_free (flush->message_id);
  flush->message_id = g_strdup (summary->message_id);
  cachet_imap_session_examine_async (flush->imap, flush->sent_mailbox, NULL, g_task_get_cancellable (task),
                                     sent_examined_cb, g_object_ref (task));
}

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Flush *flush = g_task_get_task_data (task);
  g_autoptr(GPtrArray) mailboxes = NULL;
  g_autoptr(GError) error = NULL;

  mailboxes = cachet_imap_session_list_finish (CACHET_IMAP_SESSION (source), result, &error);
  if (mailboxes == NULL)
    {
      give_up (task, error);
      return;
    }

  /* The folder the server says is for sent mail; else one called Sent. */
  for (guint i = 0; i < mailboxes->len && flush->sent_mailbox == NULL; i++)
    {
      CachetImapMailboxInfo *mailbox = g_ptr_array_index (mailboxes, i);

      if (cachet_imap_mailbox_info_get_special_use (mailbox) == CACHET_IMAP_SPECIAL_USE_SENT)
        flush->sent_mailbox = g_strdup (cachet_imap_mailbox_info_get_name (mailbox));
    }
  if (flush->sent_mailbox == NULL)
    flush->sent_mailbox = g_strdup ("Sent");

  save_to_sent (task);
}

static void
imap_connected_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!cachet_imap_session_connect_finish (CACHET_IMAP_SESSION (source), result, &error))
    {
      give_up (task, error);
      return;
    }
  cachet_imap_session_list_async (CACHET_IMAP_SESSION (source), g_task_get_cancellable (task),
                                  listed_cb, g_object_ref (task));
}

static void
copy_to_sent (GTask *task)
{
  CachetOutboxSender *self = g_task_get_source_object (task);
  Flush *flush = g_task_get_task_data (task);

  if (flush->imap != NULL)
    {
      save_to_sent (task);
      return;
    }
  flush->imap = cachet_imap_session_new (self->account, self->credentials);
  cachet_imap_session_connect_async (flush->imap, g_task_get_cancellable (task),
                                     imap_connected_cb, g_object_ref (task));
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CachetOutboxSender *self = g_task_get_source_object (task);
  Flush *flush = g_task_get_task_data (task);
  CachetOutboxEntry *entry = current_entry (flush);
  g_autoptr(CachetSmtpSendResult) send_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) save_error = NULL;
  gboolean saved;

  if (!cachet_smtp_session_send_finish (CACHET_SMTP_SESSION (source), result, &send_result, &error))
    {
      note_error (flush, error);
      if (cachet_smtp_error_is_permanent (error))
        saved = cachet_outbox_mark_failed (self->outbox, entry, error->message, &save_error);
      else
        saved = cachet_outbox_mark_retry (self->outbox, entry, error->message,
                                          g_get_real_time () / G_USEC_PER_SEC, &save_error);
      if (!saved)
        {
          g_task_return_error (task, g_steal_pointer (&save_error));
          return;
        }
      count_left (flush, entry);
      /* The connection may be gone after a temporary failure. */
      if (!cachet_smtp_session_is_connected (flush->smtp))
        g_clear_object (&flush->smtp);
      entry_done (task);
      return;
    }

  /* Recorded before the copy to Sent: a restart from here never sends the
   * message a second time. */
  if (!cachet_outbox_mark_accepted (self->outbox, entry, cachet_smtp_send_result_get_queue_id (send_result),
                                    &save_error))
    {
      g_task_return_error (task, g_steal_pointer (&save_error));
      return;
    }
  copy_to_sent (task);
}

static void
send_entry (GTask *task)
{
  CachetOutboxSender *self = g_task_get_source_object (task);
  Flush *flush = g_task_get_task_data (task);
  CachetOutboxEntry *entry = current_entry (flush);
  g_autoptr(GBytes) message = NULL;
  g_autoptr(GError) error = NULL;

  /* Loaded first: the user may have cancelled the message since the flush
   * began, and marking it would bring back its state alone. */
  message = cachet_outbox_load_message (self->outbox, entry->id, &error);
  if (message == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      entry_done (task);
      return;
    }
  if (message == NULL || !cachet_outbox_mark_sending (self->outbox, entry, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  cachet_smtp_session_send_async (flush->smtp, cachet_account_get_address (self->account),
                                  (const char * const *) entry->recipients, message, NULL,
                                  g_task_get_cancellable (task), sent_cb, g_object_ref (task));
}

static void
smtp_connected_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!cachet_smtp_session_connect_finish (CACHET_SMTP_SESSION (source), result, &error))
    {
      give_up (task, error);
      return;
    }
  send_entry (task);
}

static void
flush_next (GTask *task)
{
  CachetOutboxSender *self = g_task_get_source_object (task);
  Flush *flush = g_task_get_task_data (task);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  CachetOutboxEntry *entry;

  /* Not due: counted and left for later. */
  while (flush->next < flush->entries->len && !cachet_outbox_entry_is_due (current_entry (flush), now))
    {
      count_left (flush, current_entry (flush));
      flush->next++;
    }

  if (flush->next >= flush->entries->len)
    {
      g_task_return_pointer (task, g_steal_pointer (&flush->report), (GDestroyNotify) cachet_outbox_report_free);
      return;
    }

  entry = current_entry (flush);
  flush->resuming_copy = entry->state == CACHET_OUTBOX_ACCEPTED;
  if (flush->resuming_copy)
    {
      copy_to_sent (task);
      return;
    }
  if (flush->smtp == NULL)
    {
      flush->smtp = cachet_smtp_session_new (self->account, self->credentials);
      cachet_smtp_session_connect_async (flush->smtp, g_task_get_cancellable (task),
                                         smtp_connected_cb, g_object_ref (task));
      return;
    }
  send_entry (task);
}

/**
 * cachet_outbox_sender_flush_async:
 *
 * Sends every message of the outbox that is due, then copies each one to the
 * Sent folder. Messages that cannot be sent now stay, with a retry time.
 */
void
cachet_outbox_sender_flush_async (CachetOutboxSender  *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  Flush *flush = g_new0 (Flush, 1);

  g_return_if_fail (CACHET_IS_OUTBOX_SENDER (self));

  g_task_set_source_tag (task, cachet_outbox_sender_flush_async);
  g_task_set_task_data (task, flush, (GDestroyNotify) flush_free);
  flush->report = g_new0 (CachetOutboxReport, 1);
  flush->entries = cachet_outbox_list (self->outbox, &error);
  if (flush->entries == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  flush_next (task);
}

/**
 * cachet_outbox_sender_flush_finish:
 *
 * Returns: (transfer full) (nullable): what happened to each message, or
 *   %NULL when the outbox itself could not be read or written
 */
CachetOutboxReport *
cachet_outbox_sender_flush_finish (CachetOutboxSender  *self,
                                   GAsyncResult        *result,
                                   GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
cachet_outbox_sender_finalize (GObject *object)
{
  CachetOutboxSender *self = CACHET_OUTBOX_SENDER (object);

  g_clear_object (&self->account);
  g_clear_object (&self->credentials);
  g_clear_object (&self->outbox);

  G_OBJECT_CLASS (cachet_outbox_sender_parent_class)->finalize (object);
}

static void
cachet_outbox_sender_class_init (CachetOutboxSenderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cachet_outbox_sender_finalize;
}

static void
cachet_outbox_sender_init (CachetOutboxSender *self)
{
}
