/* cachet-smtp-send-options.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * CachetSmtpDsnNotify:
 * @CACHET_SMTP_DSN_NOTIFY_DEFAULT: no NOTIFY parameter: the server's default
 *   (a report on failure and, perhaps, on delay)
 * @CACHET_SMTP_DSN_NOTIFY_NEVER: no report at all, not even on failure; only
 *   alone
 * @CACHET_SMTP_DSN_NOTIFY_SUCCESS: a report when the message reached the
 *   recipient's mailbox: the MSSanté delivery receipt
 * @CACHET_SMTP_DSN_NOTIFY_FAILURE: a report when it could not be delivered
 * @CACHET_SMTP_DSN_NOTIFY_DELAY: a report when delivery is delayed
 *
 * When the recipients' servers send a delivery status notification (RFC 3461
 * NOTIFY).
 */
typedef enum /*< flags >*/
{
  CACHET_SMTP_DSN_NOTIFY_DEFAULT = 0,
  CACHET_SMTP_DSN_NOTIFY_NEVER = 1 << 0,
  CACHET_SMTP_DSN_NOTIFY_SUCCESS = 1 << 1,
  CACHET_SMTP_DSN_NOTIFY_FAILURE = 1 << 2,
  CACHET_SMTP_DSN_NOTIFY_DELAY = 1 << 3,
} CachetSmtpDsnNotify;

/**
 * CachetSmtpDsnReturn:
 * @CACHET_SMTP_DSN_RETURN_DEFAULT: no RET parameter: the server chooses
 * @CACHET_SMTP_DSN_RETURN_HEADERS: a failure report carries only the
 *   message's header (RET=HDRS): a health message's content does not travel
 *   back in clear in a bounce
 * @CACHET_SMTP_DSN_RETURN_FULL: a failure report carries the whole message
 *   (RET=FULL)
 *
 * What a failure report carries of the message (RFC 3461 RET).
 */
typedef enum
{
  CACHET_SMTP_DSN_RETURN_DEFAULT,
  CACHET_SMTP_DSN_RETURN_HEADERS,
  CACHET_SMTP_DSN_RETURN_FULL,
} CachetSmtpDsnReturn;

#define CACHET_TYPE_SMTP_SEND_OPTIONS (cachet_smtp_send_options_get_type ())

typedef struct _CachetSmtpSendOptions CachetSmtpSendOptions;

GType                  cachet_smtp_send_options_get_type       (void) G_GNUC_CONST;
CachetSmtpSendOptions *cachet_smtp_send_options_new            (void);
CachetSmtpSendOptions *cachet_smtp_send_options_copy           (const CachetSmtpSendOptions *self);
void                   cachet_smtp_send_options_free           (CachetSmtpSendOptions       *self);
void                   cachet_smtp_send_options_set_dsn_notify (CachetSmtpSendOptions       *self,
                                                                CachetSmtpDsnNotify          notify);
CachetSmtpDsnNotify    cachet_smtp_send_options_get_dsn_notify (const CachetSmtpSendOptions *self);
void                   cachet_smtp_send_options_set_dsn_return (CachetSmtpSendOptions       *self,
                                                                CachetSmtpDsnReturn          ret);
CachetSmtpDsnReturn    cachet_smtp_send_options_get_dsn_return (const CachetSmtpSendOptions *self);
void                   cachet_smtp_send_options_set_envid      (CachetSmtpSendOptions       *self,
                                                                const char                  *envid);
const char            *cachet_smtp_send_options_get_envid      (const CachetSmtpSendOptions *self);
gboolean               cachet_smtp_send_options_wants_dsn      (const CachetSmtpSendOptions *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachetSmtpSendOptions, cachet_smtp_send_options_free)

G_END_DECLS
