/* cachet-labs-text.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cachet-labs-error.h"
#include "cachet-labs-private.h"

/* Text helpers the parsers share: bounded copies, any line ending, the date
 * forms labs write. */

/**
 * cachet_labs_strndup_trimmed:
 *
 * Returns: (transfer full) (nullable): @text without surrounding white
 *   space, cut to a bounded length on a character boundary; %NULL if empty
 */
char *
cachet_labs_strndup_trimmed (const char *text,
                             gsize       length)
{
  const char *end;
  const char *valid_end;

  if (text == NULL)
    return NULL;
  while (length > 0 && g_ascii_isspace (*text))
    {
      text++;
      length--;
    }
  while (length > 0 && g_ascii_isspace (text[length - 1]))
    length--;
  if (length == 0)
    return NULL;
  if (length > CACHET_LABS_MAX_FIELD_BYTES)
    length = CACHET_LABS_MAX_FIELD_BYTES;
  end = text + length;
  /* Decoded text is valid UTF-8; only the cut may split a character. */
  g_utf8_validate (text, (gssize) length, &valid_end);
  if (valid_end < end)
    length = (gsize) (valid_end - text);
  return length > 0 ? g_strndup (text, length) : NULL;
}

char *
cachet_labs_strdup_nonempty (const char *text)
{
  return text != NULL ? cachet_labs_strndup_trimmed (text, strlen (text)) : NULL;
}

void
cachet_labs_set_string (char       **slot,
                        const char  *value)
{
  char *copy = cachet_labs_strdup_nonempty (value);

  g_free (*slot);
  *slot = copy;
}

/**
 * cachet_labs_split_lines:
 * @text: UTF-8 text with CR, LF or CRLF line ends, mixed or not
 *
 * Returns: (transfer full) (element-type utf8): the lines, or %NULL if
 *   there are too many
 */
GPtrArray *
cachet_labs_split_lines (const char  *text,
                         GError     **error)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  const char *start = text;

  for (const char *p = text;; p++)
    {
      if (*p != '\r' && *p != '\n' && *p != '\0')
        continue;
      if (*p == '\0' && p == start)
        break;
      if (lines->len == CACHET_LABS_MAX_LINES)
        {
          g_set_error (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_TOO_LARGE,
                       _("The file has more than %d lines; it was not read"), CACHET_LABS_MAX_LINES);
          return NULL;
        }
      g_ptr_array_add (lines, g_strndup (start, (gsize) (p - start)));
      if (*p == '\0')
        break;
      if (*p == '\r' && p[1] == '\n')
        p++;
      start = p + 1;
    }
  return g_steal_pointer (&lines);
}

static gboolean
read_digits (const char *text,
             guint       count,
             guint      *value)
{
  *value = 0;
  for (guint i = 0; i < count; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      *value = *value * 10 + (guint) (text[i] - '0');
    }
  return TRUE;
}

/* Two-digit years are read as the latest year not in the future: a birth
 * date `01/01/50` is 1950, an exam date `05/03/24` is 2024. */
static guint
expand_year (guint year)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  guint current = (guint) g_date_time_get_year (now);
  guint century = current / 100 * 100;

  return century + year > current ? century - 100 + year : century + year;
}

static char *
format_date (guint       year,
             guint       month,
             guint       day,
             const char *time)
{
  guint hour;
  guint minute;

  if (year < 1800 || !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return NULL;
  if (time != NULL && read_digits (time, 2, &hour) && read_digits (time + 2, 2, &minute)
      && hour < 24 && minute < 60)
    return g_strdup_printf ("%04u-%02u-%02uT%02u:%02u", year, month, day, hour, minute);
  return g_strdup_printf ("%04u-%02u-%02u", year, month, day);
}

/**
 * cachet_labs_parse_date:
 * @text: (nullable): `JJ/MM/AAAA`, `JJ/MM/AA`, `AAAA-MM-JJ` or
 *   `AAAAMMJJ[HHMM[SS]][±ZZZZ]`, with surrounding space
 *
 * Returns: (transfer full) (nullable): `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`
 *   (the sender's local time); %NULL when @text is not a valid date, never
 *   a guess such as today
 */
char *
cachet_labs_parse_date (const char *text)
{
  g_autofree char *trimmed = cachet_labs_strdup_nonempty (text);
  guint day, month, year;
  gsize length;

  if (trimmed == NULL)
    return NULL;
  length = strlen (trimmed);

  if (length == 10 && trimmed[2] == '/' && trimmed[5] == '/'
      && read_digits (trimmed, 2, &day) && read_digits (trimmed + 3, 2, &month)
      && read_digits (trimmed + 6, 4, &year))
    return format_date (year, month, day, NULL);
  if (length == 8 && trimmed[2] == '/' && trimmed[5] == '/'
      && read_digits (trimmed, 2, &day) && read_digits (trimmed + 3, 2, &month)
      && read_digits (trimmed + 6, 2, &year))
    return format_date (expand_year (year), month, day, NULL);
  if (length == 10 && trimmed[4] == '-' && trimmed[7] == '-'
      && read_digits (trimmed, 4, &year) && read_digits (trimmed + 5, 2, &month)
      && read_digits (trimmed + 8, 2, &day))
    return format_date (year, month, day, NULL);
  if (length >= 8 && read_digits (trimmed, 4, &year) && read_digits (trimmed + 4, 2, &month)
      && read_digits (trimmed + 6, 2, &day))
    return format_date (year, month, day, length >= 12 ? trimmed + 8 : NULL);
  return NULL;
}

/**
 * cachet_labs_split:
 *
 * Returns: (transfer full): @text split at @separator into at most
 *   @max_fields fields (the last one keeps the rest)
 */
char **
cachet_labs_split (const char *text,
                   char        separator,
                   guint       max_fields)
{
  char delimiter[2] = { separator, '\0' };

  return g_strsplit (text != NULL ? text : "", delimiter, (gint) max_fields);
}

/**
 * cachet_labs_field:
 *
 * Returns: (nullable): field @index of @fields, %NULL past the end: short
 *   lines are common and mean "empty"
 */
const char *
cachet_labs_field (char  **fields,
                   guint   index)
{
  for (guint i = 0; i <= index; i++)
    {
      if (fields[i] == NULL)
        return NULL;
    }
  return fields[index];
}
