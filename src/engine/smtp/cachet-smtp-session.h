/* cachet-smtp-session.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cachet-account.h"
#include "cachet-credentials-provider.h"
#include "cachet-smtp-reply.h"
#include "cachet-smtp-send-options.h"
#include "cachet-smtp-send-result.h"

G_BEGIN_DECLS

/**
 * CACHET_SMTP_SESSION_EHLO_DOMAIN:
 *
 * What Cachet says in EHLO, whatever the machine is called. RFC 5321 §4.1.4
 * asks for the client's name or an address literal; a client behind NAT or
 * DHCP has no meaningful name, and the real one (often a person's name or a
 * practice's, "cabinet-dr-martin") would be written in the Received header
 * of every message. Like Tor Birdy and the privacy settings of Thunderbird,
 * Cachet sends the loopback address literal: valid syntax (Postfix's
 * reject_invalid_helo_hostname and reject_non_fqdn_helo_hostname accept it,
 * unlike a bare "localhost"), and it says nothing about the computer.
 */
#define CACHET_SMTP_SESSION_EHLO_DOMAIN "[127.0.0.1]"

/**
 * CACHET_SMTP_SESSION_DEFAULT_DATA_END_TIMEOUT_MS:
 *
 * How long to wait for the server's reply after the end of a message: RFC
 * 5321 §4.5.3.2.6 asks for 10 minutes, since the server may scan it first.
 * Giving up earlier makes the outbox send again a message that had arrived.
 */
#define CACHET_SMTP_SESSION_DEFAULT_DATA_END_TIMEOUT_MS (10 * 60 * 1000)

#define CACHET_TYPE_SMTP_SESSION (cachet_smtp_session_get_type ())

G_DECLARE_FINAL_TYPE (CachetSmtpSession, cachet_smtp_session, CACHET, SMTP_SESSION, GObject)

CachetSmtpSession *cachet_smtp_session_new                      (CachetAccount              *account,
                                                                 CachetCredentialsProvider  *credentials);
CachetAccount     *cachet_smtp_session_get_account              (CachetSmtpSession          *self);
void               cachet_smtp_session_set_client_certificate   (CachetSmtpSession          *self,
                                                                 GTlsCertificate            *certificate);
void               cachet_smtp_session_set_oauth_token          (CachetSmtpSession          *self,
                                                                 const char                 *token);
void               cachet_smtp_session_set_timeouts             (CachetSmtpSession          *self,
                                                                 guint                       command_timeout_ms,
                                                                 guint                       data_end_timeout_ms);

void               cachet_smtp_session_connect_async            (CachetSmtpSession          *self,
                                                                 GCancellable               *cancellable,
                                                                 GAsyncReadyCallback         callback,
                                                                 gpointer                    user_data);
gboolean           cachet_smtp_session_connect_finish           (CachetSmtpSession          *self,
                                                                 GAsyncResult               *result,
                                                                 GError                    **error);
void               cachet_smtp_session_send_async               (CachetSmtpSession          *self,
                                                                 const char                 *from,
                                                                 const char * const         *recipients,
                                                                 GBytes                     *message,
                                                                 const CachetSmtpSendOptions *options,
                                                                 GCancellable               *cancellable,
                                                                 GAsyncReadyCallback         callback,
                                                                 gpointer                    user_data);
gboolean           cachet_smtp_session_send_finish              (CachetSmtpSession          *self,
                                                                 GAsyncResult               *result,
                                                                 CachetSmtpSendResult      **send_result,
                                                                 GError                    **error);
void               cachet_smtp_session_close_async              (CachetSmtpSession          *self,
                                                                 GCancellable               *cancellable,
                                                                 GAsyncReadyCallback         callback,
                                                                 gpointer                    user_data);
gboolean           cachet_smtp_session_close_finish             (CachetSmtpSession          *self,
                                                                 GAsyncResult               *result,
                                                                 GError                    **error);

gboolean           cachet_smtp_session_is_connected             (CachetSmtpSession          *self);
gboolean           cachet_smtp_session_has_extension            (CachetSmtpSession          *self,
                                                                 const char                 *keyword);
const char        *cachet_smtp_session_get_extension_parameters (CachetSmtpSession          *self,
                                                                 const char                 *keyword);
guint64            cachet_smtp_session_get_max_message_size     (CachetSmtpSession          *self);
const char        *cachet_smtp_session_get_auth_mechanism       (CachetSmtpSession          *self);
CachetSmtpReply   *cachet_smtp_session_get_last_reply           (CachetSmtpSession          *self);

G_END_DECLS
