/* cachet-lab-charset.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cachet-lab-charset.h"
#include "cachet-labs-error.h"

/* HPRIM files declare no charset, and real ones come in UTF-8, Latin-1,
 * Windows-1252 and Mac Roman. French text decides: its accented letters
 * sit at different bytes in each of them. */

/* é è ê ë à â ç î ï ô ù û ü É È À in ISO-8859-1 and Windows-1252. */
static const guint8 latin1_letters[] = {
  0xE9, 0xE8, 0xEA, 0xEB, 0xE0, 0xE2, 0xE7, 0xEE, 0xEF, 0xF4, 0xF9, 0xFB, 0xFC, 0xC9, 0xC8, 0xC0,
};

/* The same letters in Mac Roman. */
static const guint8 mac_roman_letters[] = {
  0x8E, 0x8F, 0x90, 0x91, 0x88, 0x89, 0x8D, 0x94, 0x95, 0x99, 0x9D, 0x9E, 0x9F, 0x83, 0xE9, 0xCB,
};

/* Bytes 0x80–0x9F Windows-1252 leaves undefined. */
static gboolean
is_windows_1252_hole (guint8 byte)
{
  return byte == 0x81 || byte == 0x8D || byte == 0x8F || byte == 0x90 || byte == 0x9D;
}

static gboolean
contains_byte (const guint8 *set,
               gsize         size,
               guint8        byte)
{
  return memchr (set, byte, size) != NULL;
}

/**
 * cachet_lab_charset_detect:
 *
 * Returns: the most likely charset of @bytes, one of the
 *   `CACHET_LAB_CHARSET_*` names
 */
const char *
cachet_lab_charset_detect (GBytes *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  guint latin1_score = 0;
  guint mac_score = 0;
  gboolean has_c1 = FALSE;
  gboolean windows_possible = TRUE;

  if (g_utf8_validate ((const char *) data, (gssize) size, NULL))
    return CACHET_LAB_CHARSET_UTF8;

  for (gsize i = 0; i < size; i++)
    {
      guint8 byte = data[i];

      if (byte < 0x80)
        continue;
      if (contains_byte (latin1_letters, sizeof latin1_letters, byte))
        latin1_score++;
      if (contains_byte (mac_roman_letters, sizeof mac_roman_letters, byte))
        mac_score++;
      if (byte <= 0x9F)
        {
          has_c1 = TRUE;
          if (is_windows_1252_hole (byte))
            windows_possible = FALSE;
        }
    }

  if (mac_score > latin1_score)
    return CACHET_LAB_CHARSET_MAC_ROMAN;
  /* Latin-1 has only control codes at 0x80–0x9F; text that uses them
   * means Windows-1252 (’, œ, €). */
  if (has_c1 && windows_possible)
    return CACHET_LAB_CHARSET_WINDOWS_1252;
  return CACHET_LAB_CHARSET_LATIN1;
}

/**
 * cachet_lab_charset_decode:
 * @charset: (nullable): the charset to use (a per-sender override), or
 *   %NULL to detect it
 * @used_charset: (out) (optional): the charset used
 *
 * Returns: (transfer full) (nullable): @bytes as UTF-8 without a byte order
 *   mark, or %NULL if @charset cannot decode them
 */
char *
cachet_lab_charset_decode (GBytes      *bytes,
                           const char  *charset,
                           const char **used_charset,
                           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  const char *chosen = charset != NULL ? charset : cachet_lab_charset_detect (bytes);
  char *text;

  if (used_charset != NULL)
    *used_charset = chosen;
  if (size == 0)
    return g_strdup ("");

  if (g_ascii_strcasecmp (chosen, CACHET_LAB_CHARSET_UTF8) == 0)
    {
      if (size >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
        {
          data += 3;
          size -= 3;
        }
      if (!g_utf8_validate_len (data, size, NULL) || memchr (data, '\0', size) != NULL)
        {
          g_set_error_literal (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_INVALID,
                               _("The file is not valid UTF-8; choose another character set for this sender"));
          return NULL;
        }
      text = g_strndup (data, size);
    }
  else
    {
      text = g_convert (data, (gssize) size, "UTF-8", chosen, NULL, NULL, &local_error);
      if (text == NULL)
        {
          g_set_error (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_INVALID,
                       _("The file cannot be read as %s (%s); choose another character set for this sender"),
                       chosen, local_error->message);
          return NULL;
        }
    }

  return text;
}

/**
 * cachet_lab_charset_list_known:
 *
 * Returns: (transfer none) (array zero-terminated=1): the charsets French
 *   labs write in, the ones detection chooses from and a user is offered
 *   when it chose wrong
 */
const char * const *
cachet_lab_charset_list_known (void)
{
  static const char * const known[] = {
    CACHET_LAB_CHARSET_UTF8,
    CACHET_LAB_CHARSET_LATIN1,
    CACHET_LAB_CHARSET_WINDOWS_1252,
    CACHET_LAB_CHARSET_MAC_ROMAN,
    NULL,
  };

  return known;
}

/**
 * cachet_lab_charset_get_label:
 * @charset: a charset name, in any case
 *
 * Returns: (transfer none): the name people know @charset by (“Mac Roman”
 *   rather than iconv's “MACINTOSH”); @charset itself for another one
 */
const char *
cachet_lab_charset_get_label (const char *charset)
{
  static const struct
  {
    const char *charset;
    const char *label;
  } labels[] = {
    { CACHET_LAB_CHARSET_UTF8, "UTF-8" },
    { CACHET_LAB_CHARSET_LATIN1, "ISO-8859-1" },
    { CACHET_LAB_CHARSET_WINDOWS_1252, "Windows-1252" },
    { CACHET_LAB_CHARSET_MAC_ROMAN, "Mac Roman" },
  };

  g_return_val_if_fail (charset != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      if (g_ascii_strcasecmp (charset, labels[i].charset) == 0)
        return labels[i].label;
    }
  return charset;
}
