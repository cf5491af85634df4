/* cachet-directory-parser.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cachet-directory-error.h"
#include "cachet-directory-parser.h"

#define MAX_ADDRESS_BYTES 254
#define BOM               "\xef\xbb\xbf"

/* Header names as the publisher writes them. They are compared folded (no
 * case, accents, spaces or punctuation), so "Civilité d'exercice" and
 * "CIVILITE_D_EXERCICE" both match. */
static const struct
{
  CachetDirectoryField  field;
  const char           *name;
  gboolean              required;
} known_columns[] = {
  { CACHET_DIRECTORY_FIELD_MAILBOX_TYPE, "Type de BAL", TRUE },
  { CACHET_DIRECTORY_FIELD_MAILBOX_ADDRESS, "Adresse BAL", TRUE },
  { CACHET_DIRECTORY_FIELD_PERSON_ID_TYPE, "Type Identifiant PP", FALSE },
  { CACHET_DIRECTORY_FIELD_PERSON_ID, "Identifiant PP", FALSE },
  { CACHET_DIRECTORY_FIELD_NATIONAL_ID, "Identification nationale PP", FALSE },
  { CACHET_DIRECTORY_FIELD_STRUCTURE_ID_TYPE, "Type identifiant structure", FALSE },
  { CACHET_DIRECTORY_FIELD_STRUCTURE_ID, "Identification Structure", FALSE },
  { CACHET_DIRECTORY_FIELD_SERVICE, "Service de rattachement", FALSE },
  { CACHET_DIRECTORY_FIELD_CIVILITY, "Civilité d'exercice", FALSE },
  { CACHET_DIRECTORY_FIELD_LAST_NAME, "Nom d'exercice", TRUE },
  { CACHET_DIRECTORY_FIELD_FIRST_NAME, "Prénom d'exercice", FALSE },
  { CACHET_DIRECTORY_FIELD_CATEGORY_CODE, "Catégorie profession", FALSE },
  { CACHET_DIRECTORY_FIELD_CATEGORY, "Libellé de catégorie profession", FALSE },
  { CACHET_DIRECTORY_FIELD_PROFESSION_CODE, "Code Profession", FALSE },
  { CACHET_DIRECTORY_FIELD_PROFESSION, "Libellé Profession", FALSE },
  { CACHET_DIRECTORY_FIELD_SPECIALTY_CODE, "Code savoir-faire", FALSE },
  { CACHET_DIRECTORY_FIELD_SPECIALTY, "Libellé savoir-faire", FALSE },
  { CACHET_DIRECTORY_FIELD_DIGITIZATION, "Dématérialisation", FALSE },
  { CACHET_DIRECTORY_FIELD_ORGANISATION, "Raison Sociale structure BAL", TRUE },
  { CACHET_DIRECTORY_FIELD_TRADE_NAME, "Enseigne commerciale structure BAL", FALSE },
  { CACHET_DIRECTORY_FIELD_LOCATION, "L2COMPLEMENTLOCALISATION", FALSE },
  { CACHET_DIRECTORY_FIELD_DISTRIBUTION, "L3COMPLEMENTDISTRIBUTION", FALSE },
  { CACHET_DIRECTORY_FIELD_STREET_NUMBER, "L4NUMEROVOIE", FALSE },
  { CACHET_DIRECTORY_FIELD_STREET_NUMBER_SUFFIX, "L4COMPLEMENTNUMEROVOIE", FALSE },
  { CACHET_DIRECTORY_FIELD_STREET_TYPE, "NL4TYPEVOIE", FALSE },
  { CACHET_DIRECTORY_FIELD_STREET_NAME, "L4LIBELLEVOIE", FALSE },
  { CACHET_DIRECTORY_FIELD_LOCALITY, "L5LIEUDITMENTION", FALSE },
  { CACHET_DIRECTORY_FIELD_DELIVERY_LINE, "L6LIGNEACHEMINEMENT", FALSE },
  { CACHET_DIRECTORY_FIELD_POSTCODE, "Code postal", FALSE },
  { CACHET_DIRECTORY_FIELD_DEPARTMENT, "Département", FALSE },
  { CACHET_DIRECTORY_FIELD_COUNTRY, "Pays", FALSE },
  { CACHET_DIRECTORY_FIELD_UNLISTED, "Liste rouge", FALSE },
};

G_STATIC_ASSERT (G_N_ELEMENTS (known_columns) == CACHET_DIRECTORY_N_FIELDS);

static const char *mailbox_types[] = { "PER", "ORG", "APP", "CAB" };

static void
append_folded_char (GString  *out,
                    gunichar  c)
{
  /* Ligatures have no decomposition, yet people type them as two letters. */
  switch (c)
    {
    case 0x0153: /* œ */
    case 0x0152:
      g_string_append (out, "oe");
      return;
    case 0x00e6: /* æ */
    case 0x00c6:
      g_string_append (out, "ae");
      return;
    case 0x00df: /* ß */
      g_string_append (out, "ss");
      return;
    default:
      g_string_append_unichar (out, g_unichar_tolower (c));
    }
}

/**
 * cachet_directory_fold:
 * @text: UTF-8 text
 *
 * Folds text the way the search index does: lower case, no accents, and
 * each run of spaces and punctuation turned into one space. "Le Gall-Hervé"
 * and "LE GALL HERVE" fold alike.
 *
 * Returns: (transfer full): the folded text
 */
char *
cachet_directory_fold (const char *text)
{
  g_autofree char *decomposed = NULL;
  GString *out = g_string_sized_new (strlen (text));
  gboolean pending_space = FALSE;

  decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFD);
  if (decomposed == NULL)
    return g_string_free (out, FALSE);

  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_ismark (c))
        continue;
      if (!g_unichar_isalnum (c))
        {
          pending_space = out->len > 0;
          continue;
        }
      if (pending_space)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      append_folded_char (out, c);
    }

  return g_string_free (out, FALSE);
}

static char *
header_key (const char *name)
{
  g_autofree char *folded = cachet_directory_fold (name);
  GString *key = g_string_sized_new (strlen (folded));

  for (const char *p = folded; *p != '\0'; p++)
    {
      if (*p != ' ')
        g_string_append_c (key, *p);
    }
  return g_string_free (key, FALSE);
}

static void
strip_line_end (char  *line,
                gsize *length)
{
  if (*length > 0 && line[*length - 1] == '\r')
    line[--*length] = '\0';
}

/* Splits @line in place at each '|'. Returns the number of fields, or 0 when
 * there are more than @max. */
static guint
split_fields (char   *line,
              char  **fields,
              guint   max)
{
  guint n = 0;
  char *p = line;

  for (;;)
    {
      char *separator = strchr (p, '|');

      if (n == max)
        return 0;
      if (separator != NULL)
        *separator = '\0';
      fields[n++] = g_strstrip (p);
      if (separator == NULL)
        return n;
      p = separator + 1;
    }
}

/**
 * cachet_directory_header_parse:
 * @header: (out caller-allocates): the columns found
 * @line: the first line, NUL-terminated, changed in place
 * @length: its length in bytes, without the NUL
 * @error: return location for a #GError
 *
 * Reads the header line. A byte order mark and a CR before the line end are
 * allowed.
 *
 * Returns: %TRUE when every required column is there
 */
gboolean
cachet_directory_header_parse (CachetDirectoryHeader  *header,
                               char                   *line,
                               gsize                   length,
                               GError                **error)
{
  g_autofree char **names = g_new0 (char *, CACHET_DIRECTORY_MAX_COLUMNS);
  g_autoptr(GHashTable) columns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  strip_line_end (line, &length);
  if (g_str_has_prefix (line, BOM))
    {
      line += strlen (BOM);
      length -= strlen (BOM);
    }
  if (!g_utf8_validate_len (line, length, NULL))
    {
      g_set_error_literal (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_INVALID_FILE,
                           _("The file is not UTF-8 text: it is not an Annuaire Santé extract."));
      return FALSE;
    }

  header->n_columns = split_fields (line, names, CACHET_DIRECTORY_MAX_COLUMNS);
  if (header->n_columns == 0)
    {
      g_set_error (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_INVALID_FILE,
                   _("The header of the file has more than %d columns: it is not an Annuaire Santé extract."),
                   CACHET_DIRECTORY_MAX_COLUMNS);
      return FALSE;
    }
  for (guint i = 0; i < header->n_columns; i++)
    {
      char *key = header_key (names[i]);

      /* The first of two columns of the same name wins. */
      if (g_hash_table_contains (columns, key))
        g_free (key);
      else
        g_hash_table_insert (columns, key, GUINT_TO_POINTER (i + 1));
    }

  for (gsize i = 0; i < G_N_ELEMENTS (known_columns); i++)
    {
      g_autofree char *key = header_key (known_columns[i].name);
      guint index_plus_one = GPOINTER_TO_UINT (g_hash_table_lookup (columns, key));

      header->column[known_columns[i].field] = (int) index_plus_one - 1;
      if (index_plus_one == 0 && known_columns[i].required)
        {
          g_set_error (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_INVALID_FILE,
                       _("The file has no “%s” column: it is not an Extraction_Correspondance_MSSante extract of the Annuaire Santé."),
                       known_columns[i].name);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
is_mailbox_address (const char *address)
{
  const char *at = strchr (address, '@');
  gsize length = strlen (address);

  if (at == NULL || at == address || at[1] == '\0' || strchr (at + 1, '@') != NULL)
    return FALSE;
  if (length > MAX_ADDRESS_BYTES)
    return FALSE;
  for (const char *p = address; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p) || *p == '<' || *p == '>' || *p == ',' || *p == ';')
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_mailbox_type (const char *type)
{
  for (gsize i = 0; i < G_N_ELEMENTS (mailbox_types); i++)
    {
      if (g_str_equal (type, mailbox_types[i]))
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_true (const char *value)
{
  static const char *yes[] = { "1", "o", "oui", "true", "vrai", "y", "yes" };

  for (gsize i = 0; i < G_N_ELEMENTS (yes); i++)
    {
      if (g_ascii_strcasecmp (value, yes[i]) == 0)
        return TRUE;
    }
  return FALSE;
}

/**
 * cachet_directory_row_parse:
 * @header: the columns, from cachet_directory_header_parse()
 * @line: one line after the header, NUL-terminated, changed in place
 * @length: its length in bytes, without the NUL
 * @row: (out caller-allocates): the fields, pointing into @line
 * @error: return location for a #GError saying what is wrong with the line
 *
 * Returns: %TRUE when the line is a valid row (listed or not)
 */
gboolean
cachet_directory_row_parse (const CachetDirectoryHeader  *header,
                            char                         *line,
                            gsize                         length,
                            CachetDirectoryRow           *row,
                            GError                      **error)
{
  char *values[CACHET_DIRECTORY_MAX_COLUMNS + 1];
  guint n_values;

  strip_line_end (line, &length);
  if (!g_utf8_validate_len (line, length, NULL))
    {
      g_set_error_literal (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_INVALID_FILE,
                           _("not UTF-8 text"));
      return FALSE;
    }

  /* A trailing separator (one empty column more) is tolerated: other
   * extracts of the same publisher end every line with one. */
  n_values = split_fields (line, values, header->n_columns + 1);
  if (n_values == header->n_columns + 1 && values[header->n_columns][0] == '\0')
    n_values--;
  if (n_values == 0)
    {
      g_set_error (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_INVALID_FILE,
                   _("more columns than the %u of the header"), header->n_columns);
      return FALSE;
    }
  if (n_values != header->n_columns)
    {
      g_set_error (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_INVALID_FILE,
                   _("%u columns where the header has %u"), n_values, header->n_columns);
      return FALSE;
    }

  for (guint field = 0; field < CACHET_DIRECTORY_N_FIELDS; field++)
    row->fields[field] = header->column[field] >= 0 ? values[header->column[field]] : "";

  if (!is_mailbox_address (row->fields[CACHET_DIRECTORY_FIELD_MAILBOX_ADDRESS]))
    {
      g_set_error_literal (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_INVALID_FILE,
                           _("no valid mailbox address"));
      return FALSE;
    }
  if (!is_mailbox_type (row->fields[CACHET_DIRECTORY_FIELD_MAILBOX_TYPE]))
    {
      g_set_error_literal (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_INVALID_FILE,
                           _("unknown mailbox type"));
      return FALSE;
    }
  row->unlisted = is_true (row->fields[CACHET_DIRECTORY_FIELD_UNLISTED]);

  return TRUE;
}

/**
 * cachet_directory_date_from_name:
 * @file_name: a file name such as
 *   "Extraction_Correspondance_MSSante_202608140312.txt"
 *
 * The publisher puts the time the extract was made in its name.
 *
 * Returns: (transfer full) (nullable): that time as "2026-08-14T03:12"
 *   (French local time), or %NULL when the name carries none
 */
char *
cachet_directory_date_from_name (const char *file_name)
{
  const char *underscore = strrchr (file_name, '_');
  const char *digits;
  guint values[5];
  static const guint widths[5] = { 4, 2, 2, 2, 2 };

  if (underscore == NULL)
    return NULL;
  digits = underscore + 1;
  for (gsize i = 0; i < 12; i++)
    {
      if (!g_ascii_isdigit (digits[i]))
        return NULL;
    }
  if (digits[12] != '\0' && digits[12] != '.')
    return NULL;

  for (gsize i = 0, offset = 0; i < G_N_ELEMENTS (values); offset += widths[i], i++)
    {
      values[i] = 0;
      for (guint j = 0; j < widths[i]; j++)
        values[i] = values[i] * 10 + (guint) (digits[offset + j] - '0');
    }
  if (!g_date_valid_dmy ((GDateDay) values[2], (GDateMonth) values[1], (GDateYear) values[0])
      || values[3] > 23 || values[4] > 59)
    return NULL;

  return g_strdup_printf ("%04u-%02u-%02uT%02u:%02u",
                          values[0], values[1], values[2], values[3], values[4]);
}
