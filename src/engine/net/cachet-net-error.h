/* cachet-net-error.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CACHET_NET_ERROR (cachet_net_error_quark ())

/**
 * CachetNetError:
 * @CACHET_NET_ERROR_INVALID_ADDRESS: a server address (`imaps://host:port`…)
 *   cannot be used: unknown scheme, user name, path, bad host or port
 * @CACHET_NET_ERROR_TLS_UNAVAILABLE: GIO has no TLS backend (glib-networking
 *   is not installed), so no connection can be made at all
 * @CACHET_NET_ERROR_CA_FILE: the account's CA file cannot be read or holds no
 *   certificate
 * @CACHET_NET_ERROR_CERTIFICATE_UNKNOWN_CA: the server's certificate was not
 *   issued by an authority the account trusts
 * @CACHET_NET_ERROR_CERTIFICATE_BAD_IDENTITY: the server's certificate is for
 *   another host name
 * @CACHET_NET_ERROR_CERTIFICATE_EXPIRED: the server's certificate has expired
 * @CACHET_NET_ERROR_CERTIFICATE_NOT_ACTIVATED: the server's certificate is not
 *   valid yet (or the computer's clock is wrong)
 * @CACHET_NET_ERROR_CERTIFICATE_REVOKED: the server's certificate was revoked
 * @CACHET_NET_ERROR_CERTIFICATE_INSECURE: the server's certificate uses an
 *   algorithm that is no longer considered secure
 * @CACHET_NET_ERROR_CERTIFICATE_INVALID: the server's certificate failed
 *   verification for another reason
 * @CACHET_NET_ERROR_TLS_VERSION: the server negotiated a TLS version older than
 *   1.2, which MSSanté and RFC 8996 forbid
 * @CACHET_NET_ERROR_IDENTITY_UNREADABLE: a client certificate file cannot be
 *   read, is not PKCS #12, or a PKCS #11 object cannot be found
 * @CACHET_NET_ERROR_IDENTITY_BAD_PASSPHRASE: the passphrase of a PKCS #12 file
 *   is wrong
 * @CACHET_NET_ERROR_IDENTITY_NO_PRIVATE_KEY: a PKCS #12 file opens but holds no
 *   certificate with its private key
 * @CACHET_NET_ERROR_LINE_TOO_LONG: the server sent a line longer than the
 *   connection's bound; the connection must be closed
 * @CACHET_NET_ERROR_NOT_SECURE: credentials were about to be sent on a
 *   connection that has not completed TLS; nothing was sent
 * @CACHET_NET_ERROR_STARTTLS_REFUSED: the server did not offer or refused
 *   STARTTLS; raised by the protocol layers, which then close the connection
 *   (there is never a fallback to plaintext)
 * @CACHET_NET_ERROR_SASL_INVALID_CREDENTIALS: a user name, password or token
 *   cannot be encoded for the chosen SASL mechanism (it contains NUL, a line
 *   break, or characters the mechanism forbids)
 * @CACHET_NET_ERROR_SASL_NO_MECHANISM: the server offers no SASL mechanism that
 *   the account's credentials can use
 * @CACHET_NET_ERROR_SASL_PROTOCOL: the server sent a SASL challenge that is not
 *   valid base64 or was not expected at this step
 * @CACHET_NET_ERROR_STARTTLS_INJECTION: the server sent data between its
 *   STARTTLS go-ahead and the TLS handshake, which only an attacker injecting
 *   responses does; the connection must be closed
 *
 * Errors of the network layer: addresses, trust, client identities, the
 * connection itself and SASL. GIO errors that are already precise (connection
 * refused, timed out, cancelled, closed by the server) are passed on as
 * %G_IO_ERROR and %G_TLS_ERROR; every message says what the user can do next.
 */
typedef enum
{
  CACHET_NET_ERROR_INVALID_ADDRESS,
  CACHET_NET_ERROR_TLS_UNAVAILABLE,
  CACHET_NET_ERROR_CA_FILE,
  CACHET_NET_ERROR_CERTIFICATE_UNKNOWN_CA,
  CACHET_NET_ERROR_CERTIFICATE_BAD_IDENTITY,
  CACHET_NET_ERROR_CERTIFICATE_EXPIRED,
  CACHET_NET_ERROR_CERTIFICATE_NOT_ACTIVATED,
  CACHET_NET_ERROR_CERTIFICATE_REVOKED,
  CACHET_NET_ERROR_CERTIFICATE_INSECURE,
  CACHET_NET_ERROR_CERTIFICATE_INVALID,
  CACHET_NET_ERROR_TLS_VERSION,
  CACHET_NET_ERROR_IDENTITY_UNREADABLE,
  CACHET_NET_ERROR_IDENTITY_BAD_PASSPHRASE,
  CACHET_NET_ERROR_IDENTITY_NO_PRIVATE_KEY,
  CACHET_NET_ERROR_LINE_TOO_LONG,
  CACHET_NET_ERROR_NOT_SECURE,
  CACHET_NET_ERROR_STARTTLS_REFUSED,
  CACHET_NET_ERROR_SASL_INVALID_CREDENTIALS,
  CACHET_NET_ERROR_SASL_NO_MECHANISM,
  CACHET_NET_ERROR_SASL_PROTOCOL,
  CACHET_NET_ERROR_STARTTLS_INJECTION,
} CachetNetError;

GQuark cachet_net_error_quark (void);

G_END_DECLS
