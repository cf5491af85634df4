/* cachet-smtp-reply.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cachet-smtp-error.h"
#include "cachet-smtp-reply.h"

/**
 * CachetSmtpReply:
 *
 * One complete SMTP reply (RFC 5321 §4.2): its three-digit code, the RFC 3463
 * enhanced status code when the server announced ENHANCEDSTATUSCODES and put
 * one on the reply, and the text of each line, without code, separator or
 * enhanced code. Immutable and reference-counted.
 *
 * The text comes from the server: it is printable (control characters make
 * the reply invalid) and valid UTF-8 (invalid sequences are replaced), but
 * it is not trusted. It may name addresses, so it is never logged.
 */
struct _CachetSmtpReply
{
  grefcount ref_count;
  guint code;
  char *enhanced_code;
  GStrv lines;
  char *text;
};

G_DEFINE_BOXED_TYPE (CachetSmtpReply, cachet_smtp_reply, cachet_smtp_reply_ref,
                     cachet_smtp_reply_unref)

CachetSmtpReply *
cachet_smtp_reply_ref (CachetSmtpReply *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_ref_count_inc (&self->ref_count);
  return self;
}

void
cachet_smtp_reply_unref (CachetSmtpReply *self)
{
  g_return_if_fail (self != NULL);

  if (!g_ref_count_dec (&self->ref_count))
    return;

  g_free (self->enhanced_code);
  g_strfreev (self->lines);
  g_free (self->text);
  g_free (self);
}

/**
 * cachet_smtp_reply_get_code:
 *
 * Returns: the reply code, from 200 to 599
 */
guint
cachet_smtp_reply_get_code (CachetSmtpReply *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->code;
}

/**
 * cachet_smtp_reply_get_class:
 *
 * Returns: the first digit of the code: 2 (success), 3 (go on), 4
 *   (temporary failure) or 5 (permanent failure)
 */
guint
cachet_smtp_reply_get_class (CachetSmtpReply *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->code / 100;
}

/**
 * cachet_smtp_reply_get_enhanced_code:
 *
 * Returns: (nullable): the RFC 3463 status code, such as "5.1.1", or %NULL if
 *   the server did not announce ENHANCEDSTATUSCODES or sent none on this reply
 */
const char *
cachet_smtp_reply_get_enhanced_code (CachetSmtpReply *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->enhanced_code;
}

/**
 * cachet_smtp_reply_get_lines:
 *
 * Returns: (transfer none) (array zero-terminated=1): the text of each line,
 *   possibly empty; at least one
 */
const char * const *
cachet_smtp_reply_get_lines (CachetSmtpReply *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (const char * const *) self->lines;
}

/**
 * cachet_smtp_reply_get_text:
 *
 * Returns: the text of the lines, joined with line feeds
 */
const char *
cachet_smtp_reply_get_text (CachetSmtpReply *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->text;
}

static gboolean
is_queue_id_char (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '-' || c == '_';
}

/* The identifier that starts at @start, without trailing dots; NULL if there
 * is none or it is implausibly long. */
static char *
take_queue_id (const char *start)
{
  gsize length = 0;

  while (start[length] != '\0' && is_queue_id_char (start[length]))
    length++;
  while (length > 0 && start[length - 1] == '.')
    length--;
  if (length == 0 || length > 64)
    return NULL;

  return g_strndup (start, length);
}

/* The word that ends just before @end (exclusive), within @text. */
static char *
take_queue_id_before (const char *text,
                      const char *end)
{
  g_autofree char *word = NULL;
  const char *start = end;

  while (start > text && start[-1] == ' ')
    start--;
  end = start;
  while (start > text && is_queue_id_char (start[-1]))
    start--;
  if (start == end)
    return NULL;

  word = g_strndup (start, (gsize) (end - start));
  return take_queue_id (word);
}

/**
 * cachet_smtp_reply_dup_queue_id:
 *
 * Finds the identifier the server gave the accepted message, in the reply to
 * the end of DATA, as the main servers word it: Postfix "queued as ID", Exim
 * "id=ID", Sendmail "ID Message accepted for delivery", Gmail "… ID - gsmtp".
 * It helps the operator find the message in their logs.
 *
 * Returns: (transfer full) (nullable): the queue identifier, or %NULL
 */
char *
cachet_smtp_reply_dup_queue_id (CachetSmtpReply *self)
{
  const char *found;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->code / 100 != 2)
    return NULL;

  for (guint i = 0; self->lines[i] != NULL; i++)
    {
      const char *line = self->lines[i];

      if ((found = strstr (line, "queued as ")) != NULL ||
          (found = strstr (line, "Queued as ")) != NULL)
        return take_queue_id (found + strlen ("queued as "));
      if ((found = strstr (line, "id=")) != NULL)
        return take_queue_id (found + strlen ("id="));
      if ((found = strstr (line, " Message accepted for delivery")) != NULL)
        return take_queue_id_before (line, found);
      if ((found = strstr (line, " - gsmtp")) != NULL)
        return take_queue_id_before (line, found);
    }

  return NULL;
}

/**
 * CachetSmtpReplyParser:
 *
 * Assembles replies from the lines the connection reads, one at a time, with
 * hard bounds: a line longer than %CACHET_SMTP_REPLY_MAX_LINE_LENGTH, a reply
 * of more than %CACHET_SMTP_REPLY_MAX_LINES lines, a code that is not three
 * digits from 200 to 599, lines of one reply with different codes, a missing
 * separator, or a control character in the text, each make
 * %CACHET_SMTP_ERROR_PROTOCOL. After an error the parser starts afresh, but
 * the connection should be closed: the server cannot be understood.
 */
struct _CachetSmtpReplyParser
{
  gboolean enhanced_status_codes;
  guint code;                 /* of the reply being assembled; 0 between replies */
  GPtrArray *lines;
};

/**
 * cachet_smtp_reply_parser_new:
 *
 * Returns: (transfer full): a parser, with enhanced status codes off
 */
CachetSmtpReplyParser *
cachet_smtp_reply_parser_new (void)
{
  CachetSmtpReplyParser *self = g_new0 (CachetSmtpReplyParser, 1);

  self->lines = g_ptr_array_new_with_free_func (g_free);
  return self;
}

void
cachet_smtp_reply_parser_free (CachetSmtpReplyParser *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->lines);
  g_free (self);
}

/**
 * cachet_smtp_reply_parser_set_enhanced_status_codes:
 * @enabled: whether the server announced ENHANCEDSTATUSCODES (RFC 2034) in
 *   its EHLO reply
 *
 * Only then is a leading "x.y.z " taken for an enhanced status code: without
 * the announcement it is ordinary text.
 */
void
cachet_smtp_reply_parser_set_enhanced_status_codes (CachetSmtpReplyParser *self,
                                                    gboolean               enabled)
{
  g_return_if_fail (self != NULL);

  self->enhanced_status_codes = enabled;
}

/**
 * cachet_smtp_reply_parser_reset:
 *
 * Drops a reply in progress.
 */
void
cachet_smtp_reply_parser_reset (CachetSmtpReplyParser *self)
{
  g_return_if_fail (self != NULL);

  self->code = 0;
  g_ptr_array_set_size (self->lines, 0);
}

static gboolean
fail (CachetSmtpReplyParser  *self,
      GError                **error,
      const char             *message)
{
  cachet_smtp_reply_parser_reset (self);
  g_set_error_literal (error, CACHET_SMTP_ERROR, CACHET_SMTP_ERROR_PROTOCOL, message);
  return FALSE;
}

/* RFC 3463: class "." subject "." detail, with 1 to 3 digits in subject and
 * detail, followed by a space or the end of the line. Returns the length of
 * the code, or 0. */
static gsize
enhanced_code_length (const char *text,
                      guint       reply_class)
{
  gsize i = 0;

  if (text[0] != (char) ('0' + reply_class) || text[1] != '.')
    return 0;
  i = 2;
  for (guint part = 0; part < 2; part++)
    {
      gsize digits = 0;

      while (g_ascii_isdigit (text[i]) && digits < 4)
        {
          i++;
          digits++;
        }
      if (digits == 0 || digits > 3)
        return 0;
      if (part == 0)
        {
          if (text[i] != '.')
            return 0;
          i++;
        }
    }
  if (text[i] != ' ' && text[i] != '\0')
    return 0;

  return i;
}

static CachetSmtpReply *
take_reply (CachetSmtpReplyParser *self)
{
  CachetSmtpReply *reply = g_new0 (CachetSmtpReply, 1);
  guint reply_class = self->code / 100;

  g_ref_count_init (&reply->ref_count);
  reply->code = self->code;

  /* An enhanced code is only defined for success and failure replies; the
   * first line's is the reply's, and the same prefix is stripped from every
   * line that repeats it (RFC 2034 §4). */
  if (self->enhanced_status_codes && (reply_class == 2 || reply_class == 4 || reply_class == 5))
    {
      const char *first = g_ptr_array_index (self->lines, 0);
      gsize length = enhanced_code_length (first, reply_class);

      if (length > 0)
        {
          reply->enhanced_code = g_strndup (first, length);
          for (guint i = 0; i < self->lines->len; i++)
            {
              char *line = g_ptr_array_index (self->lines, i);

              if (strncmp (line, reply->enhanced_code, length) == 0 &&
                  (line[length] == ' ' || line[length] == '\0'))
                memmove (line, line + length + (line[length] == ' ' ? 1 : 0),
                         strlen (line + length + (line[length] == ' ' ? 1 : 0)) + 1);
            }
        }
    }

  g_ptr_array_add (self->lines, NULL);
  reply->lines = (GStrv) g_ptr_array_steal (self->lines, NULL);
  reply->text = g_strjoinv ("\n", reply->lines);
  self->code = 0;

  return reply;
}

/**
 * cachet_smtp_reply_parser_feed_line:
 * @line: one line as the server sent it, without its line break; it need not
 *   be NUL-terminated, and a NUL byte in it is an error
 * @length: the length of @line
 * @reply: (out) (transfer full) (nullable): set to the reply when @line
 *   completes one, to %NULL when more lines must follow
 * @error: return location for a #GError
 *
 * Returns: %FALSE with %CACHET_SMTP_ERROR_PROTOCOL if the line is invalid
 */
gboolean
cachet_smtp_reply_parser_feed_line (CachetSmtpReplyParser  *self,
                                    const char             *line,
                                    gsize                   length,
                                    CachetSmtpReply       **reply,
                                    GError                **error)
{
  guint code;
  gboolean last;
  const char *text;
  gsize text_length;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (line != NULL || length == 0, FALSE);
  g_return_val_if_fail (reply != NULL, FALSE);

  *reply = NULL;

  if (length > CACHET_SMTP_REPLY_MAX_LINE_LENGTH)
    return fail (self, error, _("The mail server sent a reply line longer than SMTP allows. "
                                "Try again later; if this persists, tell your operator."));

  if (length < 3 ||
      line[0] < '2' || line[0] > '5' ||
      !g_ascii_isdigit (line[1]) || !g_ascii_isdigit (line[2]) ||
      (length > 3 && line[3] != ' ' && line[3] != '-'))
    return fail (self, error, _("The mail server sent a malformed reply. "
                                "Try again later; if this persists, tell your operator."));

  code = (guint) ((line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0'));
  last = length == 3 || line[3] == ' ';
  text = length > 4 ? line + 4 : "";
  text_length = length > 4 ? length - 4 : 0;

  /* textstring of RFC 5321 §4.2 is HT and printable characters; UTF-8 is
   * tolerated (RFC 6531 servers), control characters and NUL are not. */
  for (gsize i = 0; i < text_length; i++)
    {
      guchar c = (guchar) text[i];

      if ((c < 0x20 && c != '\t') || c == 0x7f)
        return fail (self, error, _("The mail server sent a reply with control characters. "
                                    "Try again later; if this persists, tell your operator."));
    }

  if (self->code != 0 && code != self->code)
    return fail (self, error, _("The mail server sent a reply whose lines carry different "
                                "codes. Try again later; if this persists, tell your "
                                "operator."));
  if (self->lines->len >= CACHET_SMTP_REPLY_MAX_LINES)
    return fail (self, error, _("The mail server sent a reply with too many lines. "
                                "Try again later; if this persists, tell your operator."));

  self->code = code;
  g_ptr_array_add (self->lines, g_utf8_make_valid (text, (gssize) text_length));

  if (last)
    *reply = take_reply (self);

  return TRUE;
}
