/* cachet-outbox-sender.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cachet-account.h"
#include "cachet-credentials-provider.h"
#include "cachet-outbox.h"

G_BEGIN_DECLS

/**
 * CachetOutboxReport:
 * @sent: messages accepted by the SMTP server and copied to Sent
 * @waiting: messages still in the outbox, to be tried again later
 * @failed: messages refused for good, kept for the user
 * @last_error: (nullable): the last problem met, for the user
 */
typedef struct
{
  guint  sent;
  guint  waiting;
  guint  failed;
  char  *last_error;
} CachetOutboxReport;

#define CACHET_TYPE_OUTBOX_SENDER (cachet_outbox_sender_get_type ())

G_DECLARE_FINAL_TYPE (CachetOutboxSender, cachet_outbox_sender, CACHET, OUTBOX_SENDER, GObject)

CachetOutboxSender *cachet_outbox_sender_new          (CachetAccount             *account,
                                                       CachetCredentialsProvider *credentials,
                                                       CachetOutbox              *outbox);
void                cachet_outbox_sender_flush_async  (CachetOutboxSender        *self,
                                                       GCancellable              *cancellable,
                                                       GAsyncReadyCallback        callback,
                                                       gpointer                   user_data);
CachetOutboxReport *cachet_outbox_sender_flush_finish (CachetOutboxSender        *self,
                                                       GAsyncResult              *result,
                                                       GError                   **error);
void                cachet_outbox_report_free         (CachetOutboxReport        *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachetOutboxReport, cachet_outbox_report_free)

G_END_DECLS
