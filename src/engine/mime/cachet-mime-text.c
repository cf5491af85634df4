/* cachet-mime-text.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include "cachet-mime-text-private.h"

/* Every value read from a message is bounded, so that a hostile header cannot
 * blow up the index, a list row or a label. The limits sit well above real
 * mail. */
#define MAX_NAME_BYTES          256
#define MAX_ADDRESS_BYTES       320

static const char replacement_character[] = "\xef\xbf\xbd";

/* Cuts @string to at most @max bytes without splitting a UTF-8 sequence. */
void
_cachet_mime_text_truncate_utf8 (GString *string,
                                 gsize    max)
{
  gsize length = max;

  if (string->len <= max)
    return;
  while (length > 0 && (string->str[length] & 0xc0) == 0x80)
    length--;
  g_string_truncate (string, length);
}

/* Windows-1252 for 0x80-0x9f, 0 where it has nothing. */
static const gunichar windows_1252_c1[32] = {
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
  0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
  0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
};

/* No real text holds C1 controls: they come from Windows-1252 text labelled
 * ISO-8859-1 (an "=96" en dash in an encoded word, say). Read them as
 * browsers do. */
gunichar
_cachet_mime_text_unmask_c1 (gunichar c)
{
  if (c >= 0x80 && c <= 0x9f && windows_1252_c1[c - 0x80] != 0)
    return windows_1252_c1[c - 0x80];
  return c;
}

/* Controls, and format characters such as bidirectional overrides and
 * isolates (U+202A-U+202E, U+2066-U+2069), marks and zero-width characters:
 * they can make a subject or a name read differently from what it is
 * ("fdp.exe" shown as "exe.pdf"). */
gboolean
_cachet_mime_text_is_invisible (gunichar c)
{
  return g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT;
}

/* One line of valid UTF-8: runs of spaces and invisible characters become one
 * space, the ends are trimmed. Returns NULL for NULL or blank input. */
char *
_cachet_mime_text_clean_line (const char *text,
                              gsize       max_bytes)
{
  g_autofree char *valid = NULL;
  g_autoptr(GString) line = NULL;
  gboolean pending_space = FALSE;

  if (text == NULL)
    return NULL;

  /* Blanks and invisible characters do not count: read some more input
   * than the output may hold, not the whole of a hostile megabyte. */
  valid = g_utf8_make_valid (text, (gssize) MIN (strlen (text), 4 * max_bytes));
  line = g_string_sized_new (MIN (strlen (valid), max_bytes) + 1);
  for (const char *p = valid; *p != '\0' && line->len <= max_bytes; p = g_utf8_next_char (p))
    {
      gunichar c = _cachet_mime_text_unmask_c1 (g_utf8_get_char (p));

      if (g_unichar_isspace (c) || _cachet_mime_text_is_invisible (c))
        {
          pending_space = line->len > 0;
          continue;
        }
      if (pending_space)
        g_string_append_c (line, ' ');
      pending_space = FALSE;
      g_string_append_unichar (line, c);
    }
  _cachet_mime_text_truncate_utf8 (line, max_bytes);

  if (line->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&line), FALSE);
}

static void
add_mailbox (GPtrArray       *out,
             InternetAddress *mailbox)
{
  CachetMessageAddress *address = g_new0 (CachetMessageAddress, 1);
  char *addr;

  address->name = _cachet_mime_text_clean_line (internet_address_get_name (mailbox), MAX_NAME_BYTES);
  addr = _cachet_mime_text_clean_line (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (mailbox)),
                                       MAX_ADDRESS_BYTES);
  address->address = addr != NULL ? addr : g_strdup ("");
  g_ptr_array_add (out, address);
}

/* Appends up to @max mailboxes of @list to @out, as
 * CachetMessageAddress. Groups are flattened one level: RFC 5322 does not
 * nest them, and a nested group from a hostile header is not worth
 * following. */
void
_cachet_mime_text_collect_addresses (InternetAddressList *list,
                                     GPtrArray           *out,
                                     guint                max)
{
  int length;

  if (list == NULL)
    return;

  length = internet_address_list_length (list);
  for (int i = 0; i < length && out->len < max; i++)
    {
      InternetAddress *entry = internet_address_list_get_address (list, i);

      if (INTERNET_ADDRESS_IS_MAILBOX (entry))
        {
          add_mailbox (out, entry);
        }
      else if (INTERNET_ADDRESS_IS_GROUP (entry))
        {
          InternetAddressList *members =
            internet_address_group_get_members (INTERNET_ADDRESS_GROUP (entry));
          int n_members = members != NULL ? internet_address_list_length (members) : 0;

          for (int j = 0; j < n_members && out->len < max; j++)
            {
              InternetAddress *member = internet_address_list_get_address (members, j);

              if (INTERNET_ADDRESS_IS_MAILBOX (member))
                add_mailbox (out, member);
            }
        }
    }
}

/* Reads at most @max_bytes of the decoded (base64, quoted-printable...)
 * content of @part. The source is read through to the end at worst, so the
 * work stays linear in the size of the message. With @truncated, one byte
 * more is read to tell whether the content goes on (the render flags a cut
 * body); without, nothing past @max_bytes is read (the summary only wants a
 * preview). */
GByteArray *
_cachet_mime_text_read_decoded_content (GMimePart *part,
                                        gsize      max_bytes,
                                        gboolean  *truncated)
{
  GByteArray *bytes = g_byte_array_new ();
  GMimeDataWrapper *content = g_mime_part_get_content (part);
  GMimeStream *source;
  g_autoptr(GMimeStream) filtered = NULL;
  gsize limit = truncated != NULL ? max_bytes + 1 : max_bytes;
  char buffer[8192];

  if (truncated != NULL)
    *truncated = FALSE;
  if (content == NULL || (source = g_mime_data_wrapper_get_stream (content)) == NULL)
    return bytes;

  g_mime_stream_reset (source);
  filtered = g_mime_stream_filter_new (source);

  switch (g_mime_data_wrapper_get_encoding (content))
    {
    case GMIME_CONTENT_ENCODING_BASE64:
    case GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE:
    case GMIME_CONTENT_ENCODING_UUENCODE:
      {
        g_autoptr(GMimeFilter) decoder =
          g_mime_filter_basic_new (g_mime_data_wrapper_get_encoding (content), FALSE);

        g_mime_stream_filter_add (GMIME_STREAM_FILTER (filtered), decoder);
      }
      break;
    case GMIME_CONTENT_ENCODING_DEFAULT:
    case GMIME_CONTENT_ENCODING_7BIT:
    case GMIME_CONTENT_ENCODING_8BIT:
    case GMIME_CONTENT_ENCODING_BINARY:
    default:
      break;
    }

  while (bytes->len < limit)
    {
      ssize_t n_read = g_mime_stream_read (filtered, buffer,
                                           MIN (sizeof buffer, limit - bytes->len));

      if (n_read <= 0)
        break;
      g_byte_array_append (bytes, (const guint8 *) buffer, (guint) n_read);
    }
  if (truncated != NULL && bytes->len > max_bytes)
    {
      *truncated = TRUE;
      g_byte_array_set_size (bytes, (guint) max_bytes);
    }

  return bytes;
}

/* Converts with iconv, replacing what cannot be decoded instead of failing:
 * mail often lies about its charset. Returns NULL if @charset is unknown.
 * With @drop_nul, NULs that the conversion produces (from UTF-16, say) are
 * left out: they would end the text early, and are no text anyway. The
 * render drops them to keep its whole body; the summary blanks NUL bytes
 * before converting and has always kept these, so its preview stops there. */
static char *
convert_to_utf8 (const char *data,
                 gsize       length,
                 const char *charset,
                 gboolean    drop_nul)
{
  iconv_t converter = g_mime_iconv_open ("UTF-8", charset);
  g_autoptr(GString) out = NULL;
  char *in = (char *) data;
  size_t in_left = length;
  char buffer[4096];

  if (converter == (iconv_t) -1)
    return NULL;

  out = g_string_sized_new (length + length / 2 + 1);
  for (;;)
    {
      char *out_pointer = buffer;
      size_t out_left = sizeof buffer;
      /* A NULL input flushes the shift state of stateful charsets. */
      size_t result = iconv (converter, in_left > 0 ? &in : NULL, &in_left,
                             &out_pointer, &out_left);

      if (drop_nul)
        {
          for (const char *p = buffer; p < out_pointer; p++)
            {
              if (*p != '\0')
                g_string_append_c (out, *p);
            }
        }
      else
        {
          g_string_append_len (out, buffer, (gssize) (out_pointer - buffer));
        }
      if (result != (size_t) -1)
        {
          if (in_left == 0)
            break;
          continue;
        }
      if (errno == E2BIG)
        continue;
      if (errno == EILSEQ && in_left > 0)
        {
          g_string_append (out, replacement_character);
          in++;
          in_left--;
          continue;
        }
      /* EINVAL: an incomplete sequence where the input was cut. */
      break;
    }
  g_mime_iconv_close (converter);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* @bytes as valid UTF-8, whatever @declared_charset says or fails to say;
 * @drop_nul as for convert_to_utf8(). */
char *
_cachet_mime_text_to_utf8 (GByteArray *bytes,
                           const char *declared_charset,
                           gboolean    drop_nul)
{
  const char *data = (const char *) bytes->data;
  const char *charset = NULL;
  char *converted;

  /* An empty GByteArray has no data pointer at all. */
  if (bytes->len == 0)
    return g_strdup ("");

  if (declared_charset != NULL)
    charset = g_mime_charset_canon_name (declared_charset);

  if (charset != NULL && g_ascii_strcasecmp (charset, "utf-8") == 0)
    return g_utf8_make_valid (data, (gssize) bytes->len);
  if (charset == NULL || g_ascii_strcasecmp (charset, "us-ascii") == 0)
    {
      /* Undeclared or "ASCII" text with 8-bit bytes is not UTF-8 by fiat:
       * if it does not validate, it is most likely Windows-1252. */
      if (g_utf8_validate_len (data, bytes->len, NULL))
        return g_utf8_make_valid (data, (gssize) bytes->len);
      charset = "windows-1252";
    }
  else if (g_ascii_strcasecmp (charset, "iso-8859-1") == 0)
    {
      /* As browsers do (WHATWG Encoding): Latin-1 labels mean Windows-1252,
       * whose 0x80-0x9f are the quotes and the euro sign writers meant. */
      charset = "windows-1252";
    }

  converted = convert_to_utf8 (data, bytes->len, charset, drop_nul);
  if (converted == NULL)
    converted = convert_to_utf8 (data, bytes->len, "windows-1252", drop_nul);
  if (converted == NULL)
    return g_utf8_make_valid (data, (gssize) bytes->len);

  /* iconv's output is UTF-8; the check only guards against a broken module. */
  if (!g_utf8_validate (converted, -1, NULL))
    {
      char *valid = g_utf8_make_valid (converted, -1);

      g_free (converted);
      converted = valid;
    }
  return converted;
}
