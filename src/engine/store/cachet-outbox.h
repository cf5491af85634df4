/* cachet-outbox.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * CachetOutboxState:
 * @CACHET_OUTBOX_QUEUED: waiting to be sent, at or after its next attempt time
 * @CACHET_OUTBOX_SENDING: handed to the SMTP server, no answer recorded yet
 * @CACHET_OUTBOX_ACCEPTED: accepted by the SMTP server, not yet copied to Sent
 * @CACHET_OUTBOX_FAILED: refused for good; kept until the user acts
 *
 * A message leaves the outbox only once it is both accepted and copied to
 * the Sent folder. Acceptance is recorded before the copy, so that a restart
 * in between never sends the message twice.
 */
typedef enum
{
  CACHET_OUTBOX_QUEUED,
  CACHET_OUTBOX_SENDING,
  CACHET_OUTBOX_ACCEPTED,
  CACHET_OUTBOX_FAILED,
} CachetOutboxState;

/**
 * CachetOutboxEntry:
 * @id: stable name of the entry in the outbox folder
 * @state: where the message stands
 * @recipients: the envelope recipients
 * @attempts: how many times sending was tried
 * @next_attempt: when to try next, in seconds since the epoch
 * @created: when the message was queued, in seconds since the epoch
 * @last_error: (nullable): the last problem met, for the user
 * @queue_id: (nullable): the server's queue id once accepted
 * @subject: the message's decoded subject, for display (may be empty)
 */
typedef struct
{
  char              *id;
  CachetOutboxState  state;
  char             **recipients;
  guint              attempts;
  gint64             next_attempt;
  gint64             created;
  char              *last_error;
  char              *queue_id;
  char              *subject;
} CachetOutboxEntry;

#define CACHET_TYPE_OUTBOX (cachet_outbox_get_type ())

G_DECLARE_FINAL_TYPE (CachetOutbox, cachet_outbox, CACHET, OUTBOX, GObject)

CachetOutbox      *cachet_outbox_new               (const char         *dir);
CachetOutbox      *cachet_outbox_new_for_account   (const char         *account_id);
const char        *cachet_outbox_get_dir           (CachetOutbox       *self);
CachetOutboxEntry *cachet_outbox_enqueue           (CachetOutbox       *self,
                                                    GBytes             *message,
                                                    const char * const *recipients,
                                                    GError            **error);
GPtrArray         *cachet_outbox_list              (CachetOutbox       *self,
                                                    GError            **error);
GBytes            *cachet_outbox_load_message      (CachetOutbox       *self,
                                                    const char         *id,
                                                    GError            **error);
gboolean           cachet_outbox_mark_sending      (CachetOutbox       *self,
                                                    CachetOutboxEntry  *entry,
                                                    GError            **error);
gboolean           cachet_outbox_mark_accepted     (CachetOutbox       *self,
                                                    CachetOutboxEntry  *entry,
                                                    const char         *queue_id,
                                                    GError            **error);
gboolean           cachet_outbox_mark_retry        (CachetOutbox       *self,
                                                    CachetOutboxEntry  *entry,
                                                    const char         *reason,
                                                    gint64              now,
                                                    GError            **error);
gboolean           cachet_outbox_mark_failed       (CachetOutbox       *self,
                                                    CachetOutboxEntry  *entry,
                                                    const char         *reason,
                                                    GError            **error);
gboolean           cachet_outbox_retry_now         (CachetOutbox       *self,
                                                    CachetOutboxEntry  *entry,
                                                    GError            **error);
gboolean           cachet_outbox_cancel            (CachetOutbox       *self,
                                                    CachetOutboxEntry  *entry,
                                                    GError            **error);
gboolean           cachet_outbox_remove            (CachetOutbox       *self,
                                                    CachetOutboxEntry  *entry,
                                                    GError            **error);
gboolean           cachet_outbox_entry_is_due      (const CachetOutboxEntry *entry,
                                                    gint64              now);
const char        *cachet_outbox_state_to_string   (CachetOutboxState   state);
CachetOutboxEntry *cachet_outbox_entry_copy        (const CachetOutboxEntry *entry);
void               cachet_outbox_entry_free        (CachetOutboxEntry  *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachetOutboxEntry, cachet_outbox_entry_free)

G_END_DECLS
