/* cachet-imap-utf7.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cachet-imap-error.h"
#include "cachet-imap-utf7.h"

/* Modified UTF-7 (RFC 3501 §5.1.3) is how mailbox names travel unless
 * UTF8=ACCEPT is enabled. The decoder is strict: it accepts exactly what the
 * encoder produces and nothing else, so that one name on the server has
 * exactly one spelling here. Two spellings of one name would let a server
 * present two folders that look identical, or make a name that our own
 * encoder would send back differently from how the server knows it. */

static const char mbase64_alphabet[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

static inline gboolean
is_printable_ascii (gunichar c)
{
  return c >= 0x20 && c <= 0x7e;
}

static void
append_mbase64_run (GString       *out,
                    const guint16 *units,
                    gsize          n_units)
{
  guint32 bits = 0;
  guint n_bits = 0;

  g_string_append_c (out, '&');
  for (gsize i = 0; i < n_units; i++)
    {
      bits = (bits << 16) | units[i];
      n_bits += 16;
      while (n_bits >= 6)
        {
          n_bits -= 6;
          g_string_append_c (out, mbase64_alphabet[(bits >> n_bits) & 0x3f]);
        }
      bits &= (1u << n_bits) - 1;
    }
  /* The leftover bits are padded with zeros; no '=' padding in mUTF-7. */
  if (n_bits > 0)
    g_string_append_c (out, mbase64_alphabet[(bits << (6 - n_bits)) & 0x3f]);
  g_string_append_c (out, '-');
}

/**
 * cachet_imap_utf7_encode:
 * @utf8: a mailbox name in UTF-8
 * @error: return location for a #GError
 *
 * Encodes a mailbox name in modified UTF-7, for servers where UTF8=ACCEPT is
 * not enabled. Printable ASCII other than "&" stays as it is, "&" becomes
 * "&-" and every other character goes into a shifted run of modified BASE64
 * of its UTF-16 form.
 *
 * Returns: (transfer full): the encoded name, or %NULL with
 *   %CACHET_IMAP_ERROR_INVALID_ARGUMENT if @utf8 is not valid UTF-8
 */
char *
cachet_imap_utf7_encode (const char  *utf8,
                         GError     **error)
{
  g_autoptr(GString) out = NULL;
  g_autoptr(GArray) units = NULL;
  const char *p = utf8;

  g_return_val_if_fail (utf8 != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_utf8_validate (utf8, -1, NULL))
    {
      g_set_error_literal (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_INVALID_ARGUMENT,
                           "Mailbox name is not valid UTF-8");
      return NULL;
    }

  out = g_string_sized_new (strlen (utf8) + 1);
  units = g_array_new (FALSE, FALSE, sizeof (guint16));

  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char (p);

      if (is_printable_ascii (c))
        {
          if (c == '&')
            g_string_append (out, "&-");
          else
            g_string_append_c (out, (char) c);
          p++;
          continue;
        }

      /* One run for all consecutive characters that need it: RFC 3501
       * forbids the null shift "-&" between two runs. */
      g_array_set_size (units, 0);
      while (*p != '\0' && !is_printable_ascii (c = g_utf8_get_char (p)))
        {
          guint16 unit;

          if (c >= 0x10000)
            {
              unit = (guint16) (0xd800 + ((c - 0x10000) >> 10));
              g_array_append_val (units, unit);
              unit = (guint16) (0xdc00 + ((c - 0x10000) & 0x3ff));
            }
          else
            {
              unit = (guint16) c;
            }
          g_array_append_val (units, unit);
          p = g_utf8_next_char (p);
        }
      append_mbase64_run (out, (const guint16 *) (gpointer) units->data, units->len);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static int
mbase64_value (guchar c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+')
    return 62;
  if (c == ',')
    return 63;
  return -1;
}

static gboolean
set_decode_error (GError      **error,
                  const char   *start,
                  const char   *at,
                  const char   *reason)
{
  /* The offset, not the name: names can say more than logs should. */
  g_set_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_PARSE,
               "Invalid modified UTF-7 mailbox name at byte %" G_GSIZE_FORMAT ": %s",
               (gsize) (at - start), reason);
  return FALSE;
}

static gboolean
take_utf16_unit (const char  *start,
                 const char  *at,
                 guint16      unit,
                 guint16     *high,
                 GString     *out,
                 GError     **error)
{
  if (*high != 0)
    {
      if (unit < 0xdc00 || unit > 0xdfff)
        return set_decode_error (error, start, at, "unpaired high surrogate");
      g_string_append_unichar (out, 0x10000 + (((gunichar) *high - 0xd800) << 10)
                                    + ((gunichar) unit - 0xdc00));
      *high = 0;
    }
  else if (unit >= 0xd800 && unit <= 0xdbff)
    {
      *high = unit;
    }
  else if (unit >= 0xdc00 && unit <= 0xdfff)
    {
      return set_decode_error (error, start, at, "unpaired low surrogate");
    }
  else if (unit == 0)
    {
      return set_decode_error (error, start, at, "encoded NUL character");
    }
  else if (is_printable_ascii (unit))
    {
      return set_decode_error (error, start, at, "printable ASCII must not be BASE64-encoded");
    }
  else
    {
      g_string_append_unichar (out, unit);
    }

  return TRUE;
}

/* Decodes the run that starts after "&" at *p, up to and including the
 * closing "-", and leaves *p after it. */
static gboolean
decode_mbase64_run (const char  *start,
                    const char **p,
                    GString     *out,
                    GError     **error)
{
  const char *q = *p;
  guint32 bits = 0;
  guint n_bits = 0;
  guint16 high = 0;

  for (; *q != '-'; q++)
    {
      int value;

      if (*q == '\0')
        return set_decode_error (error, start, q, "unterminated BASE64 run");

      value = mbase64_value ((guchar) *q);
      if (value < 0)
        return set_decode_error (error, start, q, "invalid character in BASE64 run");

      bits = (bits << 6) | (guint32) value;
      n_bits += 6;
      if (n_bits < 16)
        continue;

      n_bits -= 16;
      if (!take_utf16_unit (start, q, (guint16) (bits >> n_bits), &high, out, error))
        return FALSE;
      bits &= (1u << n_bits) - 1;
    }

  if (high != 0)
    return set_decode_error (error, start, q, "unpaired high surrogate");
  /* A canonical run ends with fewer than 6 spare bits, all zero. */
  if (n_bits >= 6 || bits != 0)
    return set_decode_error (error, start, q, "BASE64 run does not end on a character");

  *p = q + 1;
  return TRUE;
}

/**
 * cachet_imap_utf7_decode:
 * @mutf7: a mailbox name as the server sent it in modified UTF-7
 * @error: return location for a #GError
 *
 * Decodes a mailbox name from modified UTF-7 to UTF-8. Only the canonical
 * encoding is accepted: 8-bit or control bytes, BASE64 runs that encode
 * printable ASCII or NUL, unpaired surrogates, stray or non-zero padding
 * bits, unterminated runs and two runs back to back are all refused.
 *
 * Returns: (transfer full): the name in UTF-8, or %NULL with
 *   %CACHET_IMAP_ERROR_PARSE
 */
char *
cachet_imap_utf7_decode (const char  *mutf7,
                         GError     **error)
{
  g_autoptr(GString) out = NULL;
  const char *p = mutf7;
  gboolean after_run = FALSE;

  g_return_val_if_fail (mutf7 != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  out = g_string_sized_new (strlen (mutf7) + 1);

  while (*p != '\0')
    {
      guchar c = (guchar) *p;

      if (c == '&' && p[1] == '-')
        {
          g_string_append_c (out, '&');
          p += 2;
          after_run = FALSE;
        }
      else if (c == '&')
        {
          if (after_run)
            {
              set_decode_error (error, mutf7, p, "two BASE64 runs back to back");
              return NULL;
            }
          p++;
          if (!decode_mbase64_run (mutf7, &p, out, error))
            return NULL;
          after_run = TRUE;
        }
      else if (is_printable_ascii (c))
        {
          g_string_append_c (out, (char) c);
          p++;
          after_run = FALSE;
        }
      else
        {
          set_decode_error (error, mutf7, p, "byte outside printable ASCII");
          return NULL;
        }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}
