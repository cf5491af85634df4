/* cachet-smtp-send-result.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "cachet-smtp-reply.h"

G_BEGIN_DECLS

#define CACHET_TYPE_SMTP_SEND_RESULT (cachet_smtp_send_result_get_type ())

typedef struct _CachetSmtpSendResult CachetSmtpSendResult;

GType                 cachet_smtp_send_result_get_type            (void) G_GNUC_CONST;
CachetSmtpSendResult *cachet_smtp_send_result_ref                 (CachetSmtpSendResult *self);
void                  cachet_smtp_send_result_unref               (CachetSmtpSendResult *self);
const char * const   *cachet_smtp_send_result_get_accepted        (CachetSmtpSendResult *self);
const char * const   *cachet_smtp_send_result_get_rejected        (CachetSmtpSendResult *self);
CachetSmtpReply      *cachet_smtp_send_result_get_recipient_reply (CachetSmtpSendResult *self,
                                                                   const char           *recipient);
CachetSmtpReply      *cachet_smtp_send_result_get_final_reply     (CachetSmtpSendResult *self);
const char           *cachet_smtp_send_result_get_queue_id        (CachetSmtpSendResult *self);
gboolean              cachet_smtp_send_result_get_dsn_requested   (CachetSmtpSendResult *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachetSmtpSendResult, cachet_smtp_send_result_unref)

G_END_DECLS
