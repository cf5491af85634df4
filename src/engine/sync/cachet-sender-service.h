/* cachet-sender-service.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cachet-account-list.h"
#include "cachet-credentials-provider.h"
#include "cachet-outbox-item.h"
#include "cachet-outbox.h"

G_BEGIN_DECLS

#define CACHET_TYPE_SENDER_SERVICE (cachet_sender_service_get_type ())

G_DECLARE_FINAL_TYPE (CachetSenderService, cachet_sender_service, CACHET, SENDER_SERVICE, GObject)

CachetSenderService *cachet_sender_service_new          (CachetAccountList         *accounts,
                                                         CachetCredentialsProvider *credentials);
gboolean             cachet_sender_service_queue        (CachetSenderService       *self,
                                                         CachetAccount             *account,
                                                         GBytes                    *message,
                                                         const char * const        *recipients,
                                                         GError                   **error);
void                 cachet_sender_service_flush_all    (CachetSenderService       *self);
gboolean             cachet_sender_service_retry        (CachetSenderService       *self,
                                                         CachetOutboxItem          *item,
                                                         GError                   **error);
gboolean             cachet_sender_service_cancel       (CachetSenderService       *self,
                                                         CachetOutboxItem          *item,
                                                         GError                   **error);
GListModel          *cachet_sender_service_get_outboxes (CachetSenderService       *self);
CachetOutbox        *cachet_sender_service_get_outbox   (CachetSenderService       *self,
                                                         const char                *account_id);
gboolean             cachet_sender_service_is_busy      (CachetSenderService       *self);

G_END_DECLS
