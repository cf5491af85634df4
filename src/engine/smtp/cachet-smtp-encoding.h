/* cachet-smtp-encoding.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the SMTP session puts on the wire besides commands: envelope
 * addresses, xtext (RFC 3461) and the DATA stream. Pure functions, no I/O,
 * so that the unit and fuzz tests feed them directly. */

/**
 * CachetSmtpAddressCheck:
 * @CACHET_SMTP_ADDRESS_VALID: an ASCII address that can go in MAIL FROM or
 *   RCPT TO as it is
 * @CACHET_SMTP_ADDRESS_NEEDS_SMTPUTF8: a valid address that is not ASCII: it
 *   can only be sent with SMTPUTF8 (RFC 6531)
 * @CACHET_SMTP_ADDRESS_INVALID: it cannot be sent: empty, too long, no `@`,
 *   not UTF-8, or a byte that would change the command (CR, LF, `<`, `>`, a
 *   space or another control character)
 */
typedef enum
{
  CACHET_SMTP_ADDRESS_VALID,
  CACHET_SMTP_ADDRESS_NEEDS_SMTPUTF8,
  CACHET_SMTP_ADDRESS_INVALID,
} CachetSmtpAddressCheck;

CachetSmtpAddressCheck cachet_smtp_address_check (const char *address);

char                  *cachet_smtp_xtext_encode  (const char *text);

/**
 * CachetSmtpMessageInfo:
 * @size: the size of the message as SMTP carries it, every line break being
 *   CRLF and the last line ended, without dot-stuffing or the final dot: the
 *   value of the SIZE parameter (RFC 1870)
 * @has_8bit: whether a byte is above 127 (8BITMIME is needed)
 * @has_nul: whether a byte is NUL, which no SMTP body type we use may carry
 */
typedef struct
{
  gsize size;
  gboolean has_8bit;
  gboolean has_nul;
} CachetSmtpMessageInfo;

void                   cachet_smtp_message_scan  (const guint8          *data,
                                                  gsize                  length,
                                                  CachetSmtpMessageInfo *info);

/**
 * CachetSmtpDataEncoder:
 *
 * Turns a message into what follows DATA, one bounded chunk at a time: every
 * line break (CRLF, a bare LF or a bare CR) becomes CRLF, a line that starts
 * with "." gets a second one (RFC 5321 §4.5.2), and the stream ends with the
 * last line ended and ".\r\n". Initialise with cachet_smtp_data_encoder_init();
 * the fields are private.
 */
typedef struct
{
  gsize offset;
  gboolean at_line_start;
  gboolean done;
} CachetSmtpDataEncoder;

void                   cachet_smtp_data_encoder_init (CachetSmtpDataEncoder *self);
GBytes                *cachet_smtp_data_encoder_next (CachetSmtpDataEncoder *self,
                                                      const guint8          *data,
                                                      gsize                  length,
                                                      gsize                  chunk_size);

G_END_DECLS
