/* cachet-smtp-send-result-private.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cachet-smtp-send-result.h"

G_BEGIN_DECLS

CachetSmtpSendResult *cachet_smtp_send_result_new               (void);
void                  cachet_smtp_send_result_add_recipient     (CachetSmtpSendResult *self,
                                                                 const char           *recipient,
                                                                 CachetSmtpReply      *reply);
void                  cachet_smtp_send_result_set_final_reply   (CachetSmtpSendResult *self,
                                                                 CachetSmtpReply      *reply);
void                  cachet_smtp_send_result_set_dsn_requested (CachetSmtpSendResult *self,
                                                                 gboolean              requested);
guint                 cachet_smtp_send_result_count_accepted    (CachetSmtpSendResult *self);
gboolean              cachet_smtp_send_result_all_temporary     (CachetSmtpSendResult *self);

G_END_DECLS
