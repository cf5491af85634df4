/* cachet-smtp-send-result.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cachet-smtp-send-result-private.h"

/**
 * CachetSmtpSendResult:
 *
 * What the server said about one message, recipient by recipient, so that
 * the outbox can tell a complete delivery from a partial one: the recipients
 * the server accepted, those it refused with its reply (code, enhanced code
 * and text: 4xx may succeed later, 5xx will not), the reply to the end of the
 * message and the queue identifier it contains.
 *
 * cachet_smtp_session_send_finish() returns one when the server accepted the
 * message, even if it refused some recipients, and also when it refused every
 * recipient or the message itself, so that the reasons are known.
 */
struct _CachetSmtpSendResult
{
  grefcount ref_count;
  GPtrArray *accepted;        /* char *, NULL-terminated */
  GPtrArray *rejected;        /* char *, NULL-terminated */
  GPtrArray *recipients;      /* char *, every one in order */
  GPtrArray *replies;         /* CachetSmtpReply *, parallel to recipients */
  CachetSmtpReply *final_reply;
  char *queue_id;
  gboolean dsn_requested;
};

G_DEFINE_BOXED_TYPE (CachetSmtpSendResult, cachet_smtp_send_result, cachet_smtp_send_result_ref,
                     cachet_smtp_send_result_unref)

CachetSmtpSendResult *
cachet_smtp_send_result_new (void)
{
  CachetSmtpSendResult *self = g_new0 (CachetSmtpSendResult, 1);

  g_ref_count_init (&self->ref_count);
  self->accepted = g_ptr_array_new ();
  g_ptr_array_add (self->accepted, NULL);
  self->rejected = g_ptr_array_new ();
  g_ptr_array_add (self->rejected, NULL);
  self->recipients = g_ptr_array_new_with_free_func (g_free);
  self->replies = g_ptr_array_new_with_free_func ((GDestroyNotify) cachet_smtp_reply_unref);

  return self;
}

CachetSmtpSendResult *
cachet_smtp_send_result_ref (CachetSmtpSendResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_ref_count_inc (&self->ref_count);
  return self;
}

void
cachet_smtp_send_result_unref (CachetSmtpSendResult *self)
{
  g_return_if_fail (self != NULL);

  if (!g_ref_count_dec (&self->ref_count))
    return;

  /* accepted and rejected point into recipients. */
  g_ptr_array_unref (self->accepted);
  g_ptr_array_unref (self->rejected);
  g_ptr_array_unref (self->recipients);
  g_ptr_array_unref (self->replies);
  g_clear_pointer (&self->final_reply, cachet_smtp_reply_unref);
  g_free (self->queue_id);
  g_free (self);
}

/* Keeps the array NULL-terminated. */
static void
append (GPtrArray *array,
        char      *item)
{
  array->pdata[array->len - 1] = item;
  g_ptr_array_add (array, NULL);
}

/**
 * cachet_smtp_send_result_add_recipient:
 * @reply: the server's reply to RCPT TO: 2xx accepts the recipient
 */
void
cachet_smtp_send_result_add_recipient (CachetSmtpSendResult *self,
                                       const char           *recipient,
                                       CachetSmtpReply      *reply)
{
  char *copy;

  g_return_if_fail (self != NULL);
  g_return_if_fail (recipient != NULL);
  g_return_if_fail (reply != NULL);

  copy = g_strdup (recipient);
  g_ptr_array_add (self->recipients, copy);
  g_ptr_array_add (self->replies, cachet_smtp_reply_ref (reply));
  append (cachet_smtp_reply_get_class (reply) == 2 ? self->accepted : self->rejected, copy);
}

void
cachet_smtp_send_result_set_final_reply (CachetSmtpSendResult *self,
                                         CachetSmtpReply      *reply)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (reply != NULL);

  g_clear_pointer (&self->final_reply, cachet_smtp_reply_unref);
  g_clear_pointer (&self->queue_id, g_free);
  self->final_reply = cachet_smtp_reply_ref (reply);
  self->queue_id = cachet_smtp_reply_dup_queue_id (reply);
}

void
cachet_smtp_send_result_set_dsn_requested (CachetSmtpSendResult *self,
                                           gboolean              requested)
{
  g_return_if_fail (self != NULL);

  self->dsn_requested = requested;
}

guint
cachet_smtp_send_result_count_accepted (CachetSmtpSendResult *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->accepted->len - 1;
}

/* Whether every refusal of a recipient was temporary (4xx). */
gboolean
cachet_smtp_send_result_all_temporary (CachetSmtpSendResult *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  for (guint i = 0; i < self->replies->len; i++)
    {
      if (cachet_smtp_reply_get_class (g_ptr_array_index (self->replies, i)) == 5)
        return FALSE;
    }
  return TRUE;
}

/**
 * cachet_smtp_send_result_get_accepted:
 *
 * Returns: (transfer none) (array zero-terminated=1): the recipients the
 *   server accepted, in the order given
 */
const char * const *
cachet_smtp_send_result_get_accepted (CachetSmtpSendResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (const char * const *) self->accepted->pdata;
}

/**
 * cachet_smtp_send_result_get_rejected:
 *
 * Returns: (transfer none) (array zero-terminated=1): the recipients the
 *   server refused, in the order given; see
 *   cachet_smtp_send_result_get_recipient_reply() for why
 */
const char * const *
cachet_smtp_send_result_get_rejected (CachetSmtpSendResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (const char * const *) self->rejected->pdata;
}

/**
 * cachet_smtp_send_result_get_recipient_reply:
 * @recipient: a recipient given to cachet_smtp_session_send_async()
 *
 * Returns: (transfer none) (nullable): the server's reply to its RCPT TO, or
 *   %NULL if it was not sent (the sender was refused first)
 */
CachetSmtpReply *
cachet_smtp_send_result_get_recipient_reply (CachetSmtpSendResult *self,
                                             const char           *recipient)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (recipient != NULL, NULL);

  for (guint i = 0; i < self->recipients->len; i++)
    {
      if (strcmp (g_ptr_array_index (self->recipients, i), recipient) == 0)
        return g_ptr_array_index (self->replies, i);
    }
  return NULL;
}

/**
 * cachet_smtp_send_result_get_final_reply:
 *
 * Returns: (transfer none) (nullable): the server's reply to the message
 *   (after its final dot, or to DATA if it refused it), or %NULL if the
 *   message was not sent
 */
CachetSmtpReply *
cachet_smtp_send_result_get_final_reply (CachetSmtpSendResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->final_reply;
}

/**
 * cachet_smtp_send_result_get_queue_id:
 *
 * Returns: (nullable): the identifier the server gave the message, if its
 *   final reply names one (see cachet_smtp_reply_dup_queue_id())
 */
const char *
cachet_smtp_send_result_get_queue_id (CachetSmtpSendResult *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->queue_id;
}

/**
 * cachet_smtp_send_result_get_dsn_requested:
 *
 * Returns: whether the DSN parameters of the #CachetSmtpSendOptions were
 *   sent; %FALSE if none were asked for or the server does not offer DSN, in
 *   which case no delivery receipt will come
 */
gboolean
cachet_smtp_send_result_get_dsn_requested (CachetSmtpSendResult *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->dsn_requested;
}
