/* cachet-imap-sequence-set.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>

#include "cachet-imap-error.h"
#include "cachet-imap-sequence-set.h"

static gboolean
parse_nz_number (const char  *text,
                 const char **p,
                 guint32     *out,
                 GError     **error)
{
  const char *q = *p;
  guint64 value = 0;

  if (!g_ascii_isdigit (*q))
    {
      g_set_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_PARSE,
                   "Invalid sequence set at byte %" G_GSIZE_FORMAT ": number expected",
                   (gsize) (q - text));
      return FALSE;
    }
  for (; g_ascii_isdigit (*q); q++)
    {
      value = value * 10 + (guint64) (*q - '0');
      if (value > G_MAXUINT32)
        {
          g_set_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_PARSE,
                       "Invalid sequence set at byte %" G_GSIZE_FORMAT ": number out of range",
                       (gsize) (*p - text));
          return FALSE;
        }
    }
  if (value == 0)
    {
      g_set_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_PARSE,
                   "Invalid sequence set at byte %" G_GSIZE_FORMAT ": zero is not a valid number",
                   (gsize) (*p - text));
      return FALSE;
    }

  *out = (guint32) value;
  *p = q;
  return TRUE;
}

/**
 * cachet_imap_sequence_set_parse:
 * @text: a sequence set as a server sends it, such as "304,319:320"
 * @error: return location for a #GError
 *
 * Parses a set of numbers from a response (COPYUID, APPENDUID, VANISHED,
 * ESEARCH). Servers send concrete numbers there, so "*" is refused. A range
 * written backwards ("9:5") is turned around, as RFC 9051 allows either
 * order.
 *
 * Returns: (transfer full) (element-type CachetImapRange): the ranges in the
 *   order of @text, or %NULL with %CACHET_IMAP_ERROR_PARSE
 */
GArray *
cachet_imap_sequence_set_parse (const char  *text,
                                GError     **error)
{
  g_autoptr(GArray) ranges = g_array_new (FALSE, FALSE, sizeof (CachetImapRange));
  const char *p = text;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (;;)
    {
      CachetImapRange range;

      if (!parse_nz_number (text, &p, &range.first, error))
        return NULL;
      range.last = range.first;
      if (*p == ':')
        {
          guint32 other;

          p++;
          if (!parse_nz_number (text, &p, &other, error))
            return NULL;
          range.first = MIN (range.first, other);
          range.last = MAX (range.last, other);
        }
      g_array_append_val (ranges, range);

      if (*p == '\0')
        break;
      if (*p != ',')
        {
          g_set_error (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_PARSE,
                       "Invalid sequence set at byte %" G_GSIZE_FORMAT ": unexpected character",
                       (gsize) (p - text));
          return NULL;
        }
      p++;
    }

  return g_steal_pointer (&ranges);
}

static int
compare_numbers (const void *a,
                 const void *b)
{
  guint32 x = *(const guint32 *) a;
  guint32 y = *(const guint32 *) b;

  return (x > y) - (x < y);
}

/**
 * cachet_imap_sequence_set_format:
 * @numbers: (array length=n_numbers): UIDs or sequence numbers, in any order
 * @n_numbers: how many
 * @error: return location for a #GError
 *
 * Writes the shortest sequence set for @numbers, with consecutive numbers
 * folded into ranges ("1:5,7,9:12"). Duplicates are dropped.
 *
 * Returns: (transfer full): the set, or %NULL with
 *   %CACHET_IMAP_ERROR_INVALID_ARGUMENT if @numbers is empty or holds a zero,
 *   which no message can have
 */
char *
cachet_imap_sequence_set_format (const guint32  *numbers,
                                 gsize           n_numbers,
                                 GError        **error)
{
  g_autofree guint32 *sorted = NULL;
  g_autoptr(GString) out = NULL;
  gsize i = 0;

  g_return_val_if_fail (numbers != NULL || n_numbers == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (n_numbers == 0)
    {
      g_set_error_literal (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_INVALID_ARGUMENT,
                           "A sequence set cannot be empty");
      return NULL;
    }

  sorted = g_memdup2 (numbers, n_numbers * sizeof (guint32));
  qsort (sorted, n_numbers, sizeof (guint32), compare_numbers);
  if (sorted[0] == 0)
    {
      g_set_error_literal (error, CACHET_IMAP_ERROR, CACHET_IMAP_ERROR_INVALID_ARGUMENT,
                           "Zero is not a valid UID or sequence number");
      return NULL;
    }

  out = g_string_new (NULL);
  while (i < n_numbers)
    {
      guint32 first = sorted[i];
      guint32 last = first;

      /* Fold duplicates and successors into the current range. */
      while (i < n_numbers && (sorted[i] == last || sorted[i] == last + 1))
        last = sorted[i++];

      if (out->len > 0)
        g_string_append_c (out, ',');
      if (first == last)
        g_string_append_printf (out, "%" G_GUINT32_FORMAT, first);
      else
        g_string_append_printf (out, "%" G_GUINT32_FORMAT ":%" G_GUINT32_FORMAT, first, last);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}
