/* cachet-smtp-error.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CACHET_SMTP_ERROR (cachet_smtp_error_quark ())

/**
 * CachetSmtpError:
 * @CACHET_SMTP_ERROR_PROTOCOL: the server sent something that is not valid
 *   SMTP (a malformed reply, mismatched codes across the lines of one reply,
 *   a line longer than 512 bytes, more lines than a reply may have, an
 *   answer that makes no sense at this point); the connection is closed
 * @CACHET_SMTP_ERROR_TEMPORARY: the server answered with a 4xx code (or, for
 *   recipients, refused every one of them with a 4xx code): the same message
 *   may succeed later; the outbox retries it
 * @CACHET_SMTP_ERROR_PERMANENT: the server answered with a 5xx code that none
 *   of the more precise codes below covers (a refused greeting, EHLO or
 *   command); retrying unchanged will fail again
 * @CACHET_SMTP_ERROR_UNAUTHENTICATED: the server refused the login, password,
 *   token or certificate (535), or no password is saved for the account
 * @CACHET_SMTP_ERROR_NOT_SUPPORTED: the server lacks what sending needs: it
 *   does not speak ESMTP (EHLO refused; HELO is never tried), it offers no
 *   way to sign in, or it cannot take an internationalised address
 *   (SMTPUTF8) that the message needs
 * @CACHET_SMTP_ERROR_REJECTED_SENDER: the server refused the sender address
 *   (MAIL FROM answered 5xx)
 * @CACHET_SMTP_ERROR_REJECTED_RECIPIENT: the server refused every recipient,
 *   at least one of them permanently; which ones, and why, is in the
 *   #CachetSmtpSendResult that cachet_smtp_session_send_finish() returns
 *   with the error. When only some recipients are refused, the send succeeds
 *   and the result lists them
 * @CACHET_SMTP_ERROR_REJECTED_MESSAGE: the server refused the message itself
 *   (DATA, or the reply after the message, answered 5xx: content policy,
 *   virus, spam, malformed message…)
 * @CACHET_SMTP_ERROR_MESSAGE_TOO_LARGE: the message is larger than the server
 *   accepts: refused locally against the SIZE the server announced before
 *   anything was sent, or by the server with 552
 * @CACHET_SMTP_ERROR_NEEDS_7BIT: the message holds 8-bit bytes and the server
 *   does not offer 8BITMIME: the composer must encode its parts with
 *   quoted-printable or base64 and send it again; nothing was sent
 * @CACHET_SMTP_ERROR_INVALID_ADDRESS: a sender or recipient address cannot be
 *   sent safely (it contains a line break, NUL, `<`, `>`, a space or another
 *   control character, is not UTF-8, is too long, or has no `@`), or is not
 *   ASCII while the server lacks SMTPUTF8; refused before anything was sent
 * @CACHET_SMTP_ERROR_INVALID_MESSAGE: the message or its envelope options
 *   cannot be sent as they are (empty, NUL bytes, an ENVID that is not
 *   printable ASCII or longer than 100 characters); nothing was sent
 * @CACHET_SMTP_ERROR_NOT_CONNECTED: the session is not connected, or was
 *   closed after an earlier error; connect a new session
 *
 * Errors of the SMTP client. Network and TLS failures (connection refused,
 * timed out, cancelled, closed by the server, certificate not trusted,
 * STARTTLS refused) keep their %G_IO_ERROR, %G_TLS_ERROR and
 * %CACHET_NET_ERROR codes. Use cachet_smtp_error_is_temporary() and
 * cachet_smtp_error_is_permanent() rather than matching codes to decide
 * whether to retry. Messages never carry an address, message content or a
 * credential; the server's own words are in the #CachetSmtpReply of the
 * result or of cachet_smtp_session_get_last_reply().
 */
typedef enum
{
  CACHET_SMTP_ERROR_PROTOCOL,
  CACHET_SMTP_ERROR_TEMPORARY,
  CACHET_SMTP_ERROR_PERMANENT,
  CACHET_SMTP_ERROR_UNAUTHENTICATED,
  CACHET_SMTP_ERROR_NOT_SUPPORTED,
  CACHET_SMTP_ERROR_REJECTED_SENDER,
  CACHET_SMTP_ERROR_REJECTED_RECIPIENT,
  CACHET_SMTP_ERROR_REJECTED_MESSAGE,
  CACHET_SMTP_ERROR_MESSAGE_TOO_LARGE,
  CACHET_SMTP_ERROR_NEEDS_7BIT,
  CACHET_SMTP_ERROR_INVALID_ADDRESS,
  CACHET_SMTP_ERROR_INVALID_MESSAGE,
  CACHET_SMTP_ERROR_NOT_CONNECTED,
} CachetSmtpError;

GQuark   cachet_smtp_error_quark        (void);
gboolean cachet_smtp_error_is_temporary (const GError *error);
gboolean cachet_smtp_error_is_permanent (const GError *error);

G_END_DECLS
