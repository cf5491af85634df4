/* cachet-imap-error.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CACHET_IMAP_ERROR (cachet_imap_error_quark ())

/**
 * CachetImapError:
 * @CACHET_IMAP_ERROR_PARSE: the server sent bytes that are not valid IMAP;
 *   the connection can no longer be trusted and must be closed
 * @CACHET_IMAP_ERROR_LIMIT_EXCEEDED: the server sent a line, literal, nesting
 *   or element count beyond the configured bounds; close the connection
 * @CACHET_IMAP_ERROR_INVALID_ARGUMENT: a value given to the command
 *   serializer or to the modified UTF-7 encoder cannot be sent safely (it
 *   would inject a line break, for example)
 * @CACHET_IMAP_ERROR_SERVER_BAD: the server answered BAD: it did not
 *   understand the command
 * @CACHET_IMAP_ERROR_SERVER_NO: the server answered NO: the command failed
 * @CACHET_IMAP_ERROR_BYE: the server closed the session with BYE
 * @CACHET_IMAP_ERROR_UNAUTHENTICATED: the server refused the credentials
 * @CACHET_IMAP_ERROR_NOT_SUPPORTED: the server lacks a capability the
 *   operation needs
 * @CACHET_IMAP_ERROR_NOT_CONNECTED: there is no session to send the command on
 * @CACHET_IMAP_ERROR_TIMED_OUT: the server did not answer in time
 *
 * Errors of the IMAP stack. The transport layer (parser, serializer,
 * modified UTF-7) raises the first three; the session layer maps server
 * answers and connection state to the others.
 */
typedef enum
{
  CACHET_IMAP_ERROR_PARSE,
  CACHET_IMAP_ERROR_LIMIT_EXCEEDED,
  CACHET_IMAP_ERROR_INVALID_ARGUMENT,
  CACHET_IMAP_ERROR_SERVER_BAD,
  CACHET_IMAP_ERROR_SERVER_NO,
  CACHET_IMAP_ERROR_BYE,
  CACHET_IMAP_ERROR_UNAUTHENTICATED,
  CACHET_IMAP_ERROR_NOT_SUPPORTED,
  CACHET_IMAP_ERROR_NOT_CONNECTED,
  CACHET_IMAP_ERROR_TIMED_OUT,
} CachetImapError;

GQuark cachet_imap_error_quark (void);

G_END_DECLS
