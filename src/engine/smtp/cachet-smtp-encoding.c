/* cachet-smtp-encoding.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cachet-smtp-encoding.h"

/* RFC 5321 §4.5.3.1: a path is at most 256 octets with its angle brackets, a
 * local part 64, a domain 255. */
#define MAX_ADDRESS_LENGTH 254
#define MAX_LOCAL_PART_LENGTH 64

/**
 * cachet_smtp_address_check:
 * @address: (nullable): a sender or recipient address, `local@domain`
 *
 * Checks that @address can be put between the angle brackets of MAIL FROM or
 * RCPT TO without changing the command: nothing that ends it (CR, LF; NUL
 * cannot occur in a C string, so an address cut at one is checked as the
 * server would see it), closes the path (`>`), starts parameters (a space) or
 * that servers read differently (other controls, `<`, invalid UTF-8). It is
 * not a full RFC 5321 grammar: quoted local parts with spaces are refused,
 * the rest is for the server to judge.
 *
 * Returns: whether and how @address can be sent
 */
CachetSmtpAddressCheck
cachet_smtp_address_check (const char *address)
{
  const char *at;
  gboolean ascii = TRUE;
  gsize length;

  if (address == NULL)
    return CACHET_SMTP_ADDRESS_INVALID;

  length = strlen (address);
  if (length == 0 || length > MAX_ADDRESS_LENGTH ||
      !g_utf8_validate (address, (gssize) length, NULL))
    return CACHET_SMTP_ADDRESS_INVALID;

  for (const char *p = address; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c <= ' ' || c == 0x7f || c == '<' || c == '>')
        return CACHET_SMTP_ADDRESS_INVALID;
      if (c >= 0x80)
        ascii = FALSE;
    }

  at = strrchr (address, '@');
  if (at == NULL || at == address || at[1] == '\0' ||
      (gsize) (at - address) > MAX_LOCAL_PART_LENGTH)
    return CACHET_SMTP_ADDRESS_INVALID;

  return ascii ? CACHET_SMTP_ADDRESS_VALID : CACHET_SMTP_ADDRESS_NEEDS_SMTPUTF8;
}

/**
 * cachet_smtp_xtext_encode:
 * @text: the value of an ENVID or ORCPT parameter
 *
 * xtext of RFC 3461 §4: printable ASCII except `+` and `=` as itself, every
 * other byte as `+` and two upper-case hexadecimal digits, so that the value
 * can neither end the parameter nor the command.
 *
 * Returns: (transfer full): the encoded text
 */
char *
cachet_smtp_xtext_encode (const char *text)
{
  GString *encoded;

  g_return_val_if_fail (text != NULL, NULL);

  encoded = g_string_sized_new (strlen (text));
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c >= '!' && c <= '~' && c != '+' && c != '=')
        g_string_append_c (encoded, (char) c);
      else
        g_string_append_printf (encoded, "+%02X", c);
    }

  return g_string_free (encoded, FALSE);
}

/**
 * cachet_smtp_message_scan:
 * @data: the message
 * @length: its length
 * @info: (out caller-allocates): what the session must know before sending it
 *
 * One pass over the message, before MAIL FROM: its SIZE, and whether it needs
 * 8BITMIME or cannot be sent at all.
 */
void
cachet_smtp_message_scan (const guint8          *data,
                          gsize                  length,
                          CachetSmtpMessageInfo *info)
{
  gsize size = 0;

  g_return_if_fail (data != NULL || length == 0);
  g_return_if_fail (info != NULL);

  memset (info, 0, sizeof *info);
  for (gsize i = 0; i < length; i++)
    {
      guint8 c = data[i];

      if (c == '\r' || c == '\n')
        {
          if (c == '\r' && i + 1 < length && data[i + 1] == '\n')
            i++;
          size += 2;
          continue;
        }
      if (c >= 0x80)
        info->has_8bit = TRUE;
      else if (c == '\0')
        info->has_nul = TRUE;
      size++;
    }
  if (length > 0 && data[length - 1] != '\r' && data[length - 1] != '\n')
    size += 2;

  info->size = size;
}

void
cachet_smtp_data_encoder_init (CachetSmtpDataEncoder *self)
{
  g_return_if_fail (self != NULL);

  self->offset = 0;
  self->at_line_start = TRUE;
  self->done = FALSE;
}

/**
 * cachet_smtp_data_encoder_next:
 * @data: the whole message; the same on every call
 * @length: its length
 * @chunk_size: about how many bytes to return (a few more may come); at
 *   least 2
 *
 * Normalising every line break to CRLF, rather than refusing bare ones,
 * sends what the composer meant (GMime writes LF) and leaves no bare CR or LF
 * next to a dot for a receiving server to read as the end of the data (SMTP
 * smuggling, CVE-2023-51764 and kin): the only "CRLF . CRLF" ever sent is the
 * final one.
 *
 * Returns: (transfer full) (nullable): the next chunk, or %NULL once the final
 *   ".\r\n" was returned
 */
GBytes *
cachet_smtp_data_encoder_next (CachetSmtpDataEncoder *self,
                               const guint8          *data,
                               gsize                  length,
                               gsize                  chunk_size)
{
  guint8 *out;
  gsize n = 0;
  gsize i;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (chunk_size >= 2, NULL);

  if (self->done)
    return NULL;

  /* Each input byte makes at most two output bytes ("." and itself, or CR
   * LF); the end adds at most five ("\r\n.\r\n"). */
  out = g_malloc (chunk_size + 8);
  for (i = self->offset; i < length && n + 2 <= chunk_size; i++)
    {
      guint8 c = data[i];

      if (c == '\r' || c == '\n')
        {
          if (c == '\r' && i + 1 < length && data[i + 1] == '\n')
            i++;
          out[n++] = '\r';
          out[n++] = '\n';
          self->at_line_start = TRUE;
          continue;
        }
      if (self->at_line_start && c == '.')
        out[n++] = '.';
      out[n++] = c;
      self->at_line_start = FALSE;
    }
  self->offset = i;

  if (self->offset == length)
    {
      if (!self->at_line_start)
        {
          out[n++] = '\r';
          out[n++] = '\n';
        }
      out[n++] = '.';
      out[n++] = '\r';
      out[n++] = '\n';
      self->done = TRUE;
    }

  return g_bytes_new_take (out, n);
}
