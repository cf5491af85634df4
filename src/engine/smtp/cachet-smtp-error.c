/* cachet-smtp-error.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "cachet-net-error.h"
#include "cachet-smtp-error.h"

G_DEFINE_QUARK (cachet-smtp-error-quark, cachet_smtp_error)

/**
 * cachet_smtp_error_is_temporary:
 * @error: (nullable): an error from a #CachetSmtpSession
 *
 * Whether sending the same message again later, on a new connection, may
 * succeed without anyone changing anything: a 4xx answer, or the network
 * (timed out, connection refused, reset or closed, TLS cut short, host or
 * network unreachable, name resolution failing for now).
 *
 * Returns: %TRUE if the outbox should retry after a while
 */
gboolean
cachet_smtp_error_is_temporary (const GError *error)
{
  if (error == NULL)
    return FALSE;

  if (error->domain == CACHET_SMTP_ERROR)
    return error->code == CACHET_SMTP_ERROR_TEMPORARY ||
           error->code == CACHET_SMTP_ERROR_NOT_CONNECTED;

  if (error->domain == G_IO_ERROR)
    {
      switch (error->code)
        {
        case G_IO_ERROR_TIMED_OUT:
        case G_IO_ERROR_CONNECTION_CLOSED:
        case G_IO_ERROR_CONNECTION_REFUSED:
        case G_IO_ERROR_HOST_UNREACHABLE:
        case G_IO_ERROR_NETWORK_UNREACHABLE:
        case G_IO_ERROR_NOT_CONNECTED:
          return TRUE;
        default:
          return FALSE;
        }
    }

  if (error->domain == G_RESOLVER_ERROR)
    return error->code == G_RESOLVER_ERROR_TEMPORARY_FAILURE ||
           error->code == G_RESOLVER_ERROR_NOT_FOUND;

  /* A TLS stream cut without close_notify: the network, not the peer's
   * certificate. */
  if (error->domain == G_TLS_ERROR)
    return error->code == G_TLS_ERROR_EOF;

  return FALSE;
}

/**
 * cachet_smtp_error_is_permanent:
 * @error: (nullable): an error from a #CachetSmtpSession
 *
 * Whether sending the same message again cannot succeed until someone changes
 * something: the message (too large, 8-bit for a 7-bit server, refused), an
 * address, the password, the account's settings, or the server's. Such a
 * message stays in the outbox, marked as failed, with the error shown.
 *
 * An error may be neither temporary nor permanent: %G_IO_ERROR_CANCELLED, or
 * an I/O or TLS error the network layer could not classify
 * (%G_IO_ERROR_FAILED, %G_TLS_ERROR_MISC); the outbox decides.
 *
 * Returns: %TRUE if retrying unchanged is pointless
 */
gboolean
cachet_smtp_error_is_permanent (const GError *error)
{
  if (error == NULL)
    return FALSE;

  if (error->domain == CACHET_SMTP_ERROR)
    return !cachet_smtp_error_is_temporary (error);

  /* Certificates, STARTTLS refused, client identities, SASL: all need the
   * user or the operator. */
  if (error->domain == CACHET_NET_ERROR)
    return TRUE;

  if (error->domain == G_TLS_ERROR)
    {
      switch (error->code)
        {
        case G_TLS_ERROR_UNAVAILABLE:
        case G_TLS_ERROR_BAD_CERTIFICATE:
        case G_TLS_ERROR_NOT_TLS:
        case G_TLS_ERROR_HANDSHAKE:
        case G_TLS_ERROR_CERTIFICATE_REQUIRED:
        case G_TLS_ERROR_INAPPROPRIATE_FALLBACK:
        case G_TLS_ERROR_BAD_CERTIFICATE_PASSWORD:
          return TRUE;
        default:
          return FALSE;
        }
    }

  return FALSE;
}
