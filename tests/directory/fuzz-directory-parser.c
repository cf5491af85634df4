/* fuzz-directory-parser.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Feeds the input to the parser of the Annuaire Santé extract as the
 * importer does: the first line as the header, the others as rows, and
 * aborts if a row the parser accepts breaks what the importer relies on
 * (every field set, valid UTF-8 without separators or line breaks, a mailbox
 * address with its '@', a known mailbox type), or if folding gives anything
 * but lower-case words separated by single spaces. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cachet-directory-parser.h"
#include "cachet-directory-types.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

#define check(condition) do { if (!(condition)) abort (); } while (0)

static void
check_folded (const char *text)
{
  g_autofree char *folded = cachet_directory_fold (text);

  check (g_utf8_validate (folded, -1, NULL));
  check (folded[0] != ' ');
  check (strstr (folded, "  ") == NULL);
  check (folded[0] == '\0' || folded[strlen (folded) - 1] != ' ');
  for (const char *p = folded; *p != '\0'; p++)
    check (!g_ascii_isupper (*p) && !g_ascii_ispunct (*p));
}

static void
check_row (const CachetDirectoryRow *row)
{
  CachetDirectoryMailboxType type;

  for (guint field = 0; field < CACHET_DIRECTORY_N_FIELDS; field++)
    {
      const char *value = row->fields[field];

      check (value != NULL);
      check (g_utf8_validate (value, -1, NULL));
      check (strpbrk (value, "|\r\n") == NULL);
      check_folded (value);
    }
  check (strchr (row->fields[CACHET_DIRECTORY_FIELD_MAILBOX_ADDRESS], '@') != NULL);
  check (cachet_directory_mailbox_type_from_code (row->fields[CACHET_DIRECTORY_FIELD_MAILBOX_TYPE], &type));
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  CachetDirectoryHeader header;
  gboolean have_header = FALSE;
  const guint8 *end = data + size;
  g_autofree char *name = g_strndup ((const char *) data, MIN (size, 100));
  g_autofree char *date = cachet_directory_date_from_name (name);

  check (date == NULL || strlen (date) == 16);

  for (const guint8 *start = data; start < end;)
    {
      const guint8 *newline = memchr (start, '\n', (size_t) (end - start));
      gsize length = newline != NULL ? (gsize) (newline - start) : (gsize) (end - start);
      g_autofree char *line = NULL;
      g_autoptr(GError) error = NULL;

      if (length <= CACHET_DIRECTORY_MAX_LINE_BYTES)
        {
          /* The importer gives NUL-terminated lines that may hold NULs. */
          line = g_malloc (length + 1);
          memcpy (line, start, length);
          line[length] = '\0';

          if (!have_header)
            {
              have_header = cachet_directory_header_parse (&header, line, length, &error);
              check (have_header == (error == NULL));
              if (!have_header)
                return 0;
              check (header.n_columns >= 1 && header.n_columns <= CACHET_DIRECTORY_MAX_COLUMNS);
              for (guint field = 0; field < CACHET_DIRECTORY_N_FIELDS; field++)
                check (header.column[field] >= -1 && header.column[field] < (int) header.n_columns);
            }
          else
            {
              CachetDirectoryRow row;
              gboolean ok = cachet_directory_row_parse (&header, line, length, &row, &error);

              check (ok == (error == NULL));
              if (ok)
                check_row (&row);
            }
        }

      if (newline == NULL)
        break;
      start = newline + 1;
    }

  return 0;
}
