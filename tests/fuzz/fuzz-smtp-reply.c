/* fuzz-smtp-reply.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Feeds the input, cut into lines as the connection cuts them, to two SMTP
 * reply parsers, with and without enhanced status codes, and aborts if they
 * disagree on anything but the enhanced code, or if a reply breaks an
 * invariant the session relies on (code 200-599, bounded lines, printable
 * UTF-8 text). The same bytes then go through the DATA encoder, whose output
 * must unstuff back to the input with CRLF line breaks, and through the
 * address check and xtext. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cachet-smtp-encoding.h"
#include "cachet-smtp-error.h"
#include "cachet-smtp-reply.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

#define check(condition) do { if (!(condition)) abort (); } while (0)

static void
check_reply (CachetSmtpReply *reply,
             gboolean         enhanced)
{
  const char * const *lines = cachet_smtp_reply_get_lines (reply);
  const char *code = cachet_smtp_reply_get_enhanced_code (reply);
  g_autofree char *joined = NULL;
  g_autofree char *queue_id = NULL;
  guint n_lines;

  check (cachet_smtp_reply_get_code (reply) >= 200 && cachet_smtp_reply_get_code (reply) <= 599);
  n_lines = g_strv_length ((GStrv) lines);
  check (n_lines >= 1 && n_lines <= CACHET_SMTP_REPLY_MAX_LINES);
  for (guint i = 0; i < n_lines; i++)
    {
      check (g_utf8_validate (lines[i], -1, NULL));
      for (const char *p = lines[i]; *p != '\0'; p++)
        check ((guchar) *p >= 0x20 || *p == '\t');
      check (strchr (lines[i], 0x7f) == NULL);
    }
  joined = g_strjoinv ("\n", (GStrv) lines);
  check (strcmp (joined, cachet_smtp_reply_get_text (reply)) == 0);

  if (code != NULL)
    {
      check (enhanced);
      check (code[0] == '0' + (char) cachet_smtp_reply_get_class (reply));
      check (strlen (code) >= 5 && strlen (code) <= 9);
    }

  queue_id = cachet_smtp_reply_dup_queue_id (reply);
  if (queue_id != NULL)
    {
      check (*queue_id != '\0' && strlen (queue_id) <= 64);
      for (const char *p = queue_id; *p != '\0'; p++)
        check (g_ascii_isalnum (*p) || strchr (".-_", *p) != NULL);
    }
}

static void
fuzz_replies (const guint8 *data,
              size_t        size)
{
  g_autoptr(CachetSmtpReplyParser) plain = cachet_smtp_reply_parser_new ();
  g_autoptr(CachetSmtpReplyParser) enhanced = cachet_smtp_reply_parser_new ();
  const guint8 *end = data + size;

  cachet_smtp_reply_parser_set_enhanced_status_codes (enhanced, TRUE);
  for (const guint8 *line = data; line < end;)
    {
      const guint8 *newline = memchr (line, '\n', (size_t) (end - line));
      gsize length = newline != NULL ? (gsize) (newline - line) : (gsize) (end - line);
      g_autoptr(CachetSmtpReply) plain_reply = NULL;
      g_autoptr(CachetSmtpReply) enhanced_reply = NULL;
      g_autoptr(GError) plain_error = NULL;
      g_autoptr(GError) enhanced_error = NULL;
      gboolean plain_ok;
      gboolean enhanced_ok;

      if (length > 0 && line[length - 1] == '\r')
        length--;
      plain_ok = cachet_smtp_reply_parser_feed_line (plain, (const char *) line, length,
                                                     &plain_reply, &plain_error);
      enhanced_ok = cachet_smtp_reply_parser_feed_line (enhanced, (const char *) line, length,
                                                        &enhanced_reply, &enhanced_error);
      check (plain_ok == enhanced_ok);
      check (plain_ok == (plain_error == NULL));
      check (!plain_ok || enhanced_error == NULL);
      check (plain_ok || g_error_matches (plain_error, CACHET_SMTP_ERROR,
                                          CACHET_SMTP_ERROR_PROTOCOL));
      check ((plain_reply == NULL) == (enhanced_reply == NULL));
      if (plain_reply != NULL)
        {
          check_reply (plain_reply, FALSE);
          check_reply (enhanced_reply, TRUE);
          check (cachet_smtp_reply_get_code (plain_reply) ==
                 cachet_smtp_reply_get_code (enhanced_reply));
          check (g_strv_length ((GStrv) cachet_smtp_reply_get_lines (plain_reply)) ==
                 g_strv_length ((GStrv) cachet_smtp_reply_get_lines (enhanced_reply)));
          check (cachet_smtp_reply_get_enhanced_code (plain_reply) == NULL);
        }

      if (newline == NULL)
        break;
      line = newline + 1;
    }
}

/* The input with every line break as CRLF and the last line ended: what the
 * server must get back once it undoes the dot-stuffing. */
static GByteArray *
normalise (const guint8 *data,
           size_t        size)
{
  GByteArray *out = g_byte_array_new ();

  for (size_t i = 0; i < size; i++)
    {
      if (data[i] == '\r' || data[i] == '\n')
        {
          if (data[i] == '\r' && i + 1 < size && data[i + 1] == '\n')
            i++;
          g_byte_array_append (out, (const guint8 *) "\r\n", 2);
        }
      else
        g_byte_array_append (out, data + i, 1);
    }
  if (size > 0 && data[size - 1] != '\r' && data[size - 1] != '\n')
    g_byte_array_append (out, (const guint8 *) "\r\n", 2);

  return out;
}

static void
fuzz_data (const guint8 *data,
           size_t        size)
{
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  g_autoptr(GByteArray) unstuffed = g_byte_array_new ();
  g_autoptr(GByteArray) expected = normalise (data, size);
  gsize chunk_size = size > 0 ? 2 + data[0] % 64 : 2;
  CachetSmtpMessageInfo info;
  CachetSmtpDataEncoder encoder;
  GBytes *chunk;
  gsize i = 0;

  cachet_smtp_message_scan (data, size, &info);
  check (info.size == expected->len);
  check (info.has_nul == (memchr (data, '\0', size) != NULL));

  cachet_smtp_data_encoder_init (&encoder);
  while ((chunk = cachet_smtp_data_encoder_next (&encoder, data, size, chunk_size)) != NULL)
    {
      check (g_bytes_get_size (chunk) <= chunk_size + 5);
      g_byte_array_append (stream, g_bytes_get_data (chunk, NULL),
                           (guint) g_bytes_get_size (chunk));
      g_bytes_unref (chunk);
    }

  /* Every line ends with CRLF, no CR or LF is alone, only the last line is
   * a lone dot, and the others unstuff back to the input. */
  for (;;)
    {
      const guint8 *lf = memchr (stream->data + i, '\n', stream->len - i);
      gsize line_end;

      check (lf != NULL);
      line_end = (gsize) (lf - stream->data);
      check (line_end > i && stream->data[line_end - 1] == '\r');
      check (memchr (stream->data + i, '\r', line_end - 1 - i) == NULL);
      if (line_end - 1 - i == 1 && stream->data[i] == '.')
        {
          check (line_end + 1 == stream->len);
          break;
        }
      if (stream->data[i] == '.')
        {
          check (line_end - 1 - i >= 2);
          i++;
        }
      g_byte_array_append (unstuffed, stream->data + i, (guint) (line_end + 1 - i));
      i = line_end + 1;
    }
  check (unstuffed->len == expected->len);
  check (expected->len == 0 || memcmp (unstuffed->data, expected->data, expected->len) == 0);
}

static void
fuzz_envelope (const guint8 *data,
               size_t        size)
{
  g_autofree char *text = g_strndup ((const char *) data, MIN (size, 300));
  g_autofree char *xtext = cachet_smtp_xtext_encode (text);
  CachetSmtpAddressCheck address = cachet_smtp_address_check (text);

  for (const char *p = xtext; *p != '\0'; p++)
    check (*p >= '!' && *p <= '~' && *p != '=');
  if (address != CACHET_SMTP_ADDRESS_INVALID)
    check (strpbrk (text, "\r\n <>\t") == NULL && strchr (text, '@') != NULL);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  fuzz_replies (data, size);
  fuzz_data (data, size);
  fuzz_envelope (data, size);

  return 0;
}
