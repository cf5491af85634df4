/* cachet-smtp-send-options.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-smtp-send-options.h"

/**
 * CachetSmtpSendOptions:
 *
 * How to send one message: the delivery status notifications (RFC 3461) to
 * ask for. They are sent only if the server offers DSN;
 * cachet_smtp_send_result_get_dsn_requested() says whether they were.
 *
 * An MSSanté delivery receipt is NOTIFY=SUCCESS,FAILURE,DELAY with RET=HDRS
 * and an ENVID that the outbox can match the reports against.
 */
struct _CachetSmtpSendOptions
{
  CachetSmtpDsnNotify notify;
  CachetSmtpDsnReturn ret;
  char *envid;
};

G_DEFINE_BOXED_TYPE (CachetSmtpSendOptions, cachet_smtp_send_options,
                     cachet_smtp_send_options_copy, cachet_smtp_send_options_free)

/**
 * cachet_smtp_send_options_new:
 *
 * Returns: (transfer full): options that ask for nothing
 */
CachetSmtpSendOptions *
cachet_smtp_send_options_new (void)
{
  return g_new0 (CachetSmtpSendOptions, 1);
}

CachetSmtpSendOptions *
cachet_smtp_send_options_copy (const CachetSmtpSendOptions *self)
{
  CachetSmtpSendOptions *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (CachetSmtpSendOptions, 1);
  copy->notify = self->notify;
  copy->ret = self->ret;
  copy->envid = g_strdup (self->envid);

  return copy;
}

void
cachet_smtp_send_options_free (CachetSmtpSendOptions *self)
{
  if (self == NULL)
    return;

  g_free (self->envid);
  g_free (self);
}

/**
 * cachet_smtp_send_options_set_dsn_notify:
 * @notify: %CACHET_SMTP_DSN_NOTIFY_NEVER alone, or any of the others together
 */
void
cachet_smtp_send_options_set_dsn_notify (CachetSmtpSendOptions *self,
                                         CachetSmtpDsnNotify    notify)
{
  const CachetSmtpDsnNotify all = CACHET_SMTP_DSN_NOTIFY_NEVER | CACHET_SMTP_DSN_NOTIFY_SUCCESS |
                                  CACHET_SMTP_DSN_NOTIFY_FAILURE | CACHET_SMTP_DSN_NOTIFY_DELAY;

  g_return_if_fail (self != NULL);
  g_return_if_fail ((notify & ~all) == 0);
  g_return_if_fail ((notify & CACHET_SMTP_DSN_NOTIFY_NEVER) == 0 ||
                    notify == CACHET_SMTP_DSN_NOTIFY_NEVER);

  self->notify = notify;
}

CachetSmtpDsnNotify
cachet_smtp_send_options_get_dsn_notify (const CachetSmtpSendOptions *self)
{
  g_return_val_if_fail (self != NULL, CACHET_SMTP_DSN_NOTIFY_DEFAULT);

  return self->notify;
}

void
cachet_smtp_send_options_set_dsn_return (CachetSmtpSendOptions *self,
                                         CachetSmtpDsnReturn    ret)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (ret <= CACHET_SMTP_DSN_RETURN_FULL);

  self->ret = ret;
}

CachetSmtpDsnReturn
cachet_smtp_send_options_get_dsn_return (const CachetSmtpSendOptions *self)
{
  g_return_val_if_fail (self != NULL, CACHET_SMTP_DSN_RETURN_DEFAULT);

  return self->ret;
}

/**
 * cachet_smtp_send_options_set_envid:
 * @envid: (nullable): the envelope identifier that delivery reports will
 *   quote (RFC 3461 ENVID): printable ASCII, at most 100 characters, such as
 *   the outbox entry's identifier. It travels to every server on the way: it
 *   must not reveal anything about the message. It is checked when sending
 */
void
cachet_smtp_send_options_set_envid (CachetSmtpSendOptions *self,
                                    const char            *envid)
{
  g_return_if_fail (self != NULL);

  g_free (self->envid);
  self->envid = g_strdup (envid);
}

const char *
cachet_smtp_send_options_get_envid (const CachetSmtpSendOptions *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->envid;
}

/**
 * cachet_smtp_send_options_wants_dsn:
 *
 * Returns: whether these options ask for any DSN parameter
 */
gboolean
cachet_smtp_send_options_wants_dsn (const CachetSmtpSendOptions *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->notify != CACHET_SMTP_DSN_NOTIFY_DEFAULT ||
         self->ret != CACHET_SMTP_DSN_RETURN_DEFAULT ||
         self->envid != NULL;
}
