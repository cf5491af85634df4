/* test-directory-parser.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-directory-error.h"
#include "cachet-directory-parser.h"
#include "cachet-test-utils.h"

static void
test_fold (void)
{
  static const struct { const char *text; const char *folded; } cases[] = {
    { "Le Gall-Hervé", "le gall herve" },
    { "  DUBOIS-LEFÈVRE ", "dubois lefevre" },
    { "Éloïse", "eloise" },
    { "Œuvre d’Hôpital", "oeuvre d hopital" },
    { "L'Haÿ-les-Roses", "l hay les roses" },
    { "Jean--François", "jean francois" },
    { "69003 LYON", "69003 lyon" },
    { "", "" },
    { "-'-", "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *folded = cachet_directory_fold (cases[i].text);

      g_assert_cmpstr (folded, ==, cases[i].folded);
    }
}

static void
test_date_from_name (void)
{
  static const struct { const char *name; const char *date; } cases[] = {
    { "Extraction_Correspondance_MSSante_202608140312.txt", "2026-08-14T03:12" },
    { "Extraction_Correspondance_MSSante_202608140312", "2026-08-14T03:12" },
    { "Extraction_Correspondance_MSSante_202602300312.txt", NULL },
    { "Extraction_Correspondance_MSSante_202608142512.txt", NULL },
    { "Extraction_Correspondance_MSSante_2026081403.txt", NULL },
    { "Extraction_Correspondance_MSSante_2026081403120.txt", NULL },
    { "extract.txt", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *date = cachet_directory_date_from_name (cases[i].name);

      g_assert_cmpstr (date, ==, cases[i].date);
    }
}

static gboolean
parse_header (CachetDirectoryHeader  *header,
              const char             *text,
              GError                **error)
{
  g_autofree char *line = g_strdup (text);

  return cachet_directory_header_parse (header, line, strlen (line), error);
}

static void
test_header_by_name (void)
{
  CachetDirectoryHeader header;
  g_autoptr(GError) error = NULL;

  /* Any order, any case, a BOM, a CR and snake_case spellings. */
  g_assert_true (parse_header (&header,
                               "\xef\xbb\xbf" "NOM_D_EXERCICE|raison sociale structure bal|Pays"
                               "|ADRESSE_BAL|type de bal|Liste rouge\r",
                               &error));
  g_assert_no_error (error);
  g_assert_cmpuint (header.n_columns, ==, 6);
  g_assert_cmpint (header.column[CACHET_DIRECTORY_FIELD_LAST_NAME], ==, 0);
  g_assert_cmpint (header.column[CACHET_DIRECTORY_FIELD_ORGANISATION], ==, 1);
  g_assert_cmpint (header.column[CACHET_DIRECTORY_FIELD_COUNTRY], ==, 2);
  g_assert_cmpint (header.column[CACHET_DIRECTORY_FIELD_MAILBOX_ADDRESS], ==, 3);
  g_assert_cmpint (header.column[CACHET_DIRECTORY_FIELD_MAILBOX_TYPE], ==, 4);
  g_assert_cmpint (header.column[CACHET_DIRECTORY_FIELD_UNLISTED], ==, 5);
  g_assert_cmpint (header.column[CACHET_DIRECTORY_FIELD_FIRST_NAME], ==, -1);
}

static void
test_header_missing_column (void)
{
  CachetDirectoryHeader header;
  g_autoptr(GError) error = NULL;

  g_assert_false (parse_header (&header, "Type de BAL|Nom d'exercice|Raison Sociale structure BAL",
                                &error));
  g_assert_error (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_INVALID_FILE);
  g_assert_nonnull (strstr (error->message, "“Adresse BAL”"));
  g_clear_error (&error);

  g_assert_false (parse_header (&header, "\x89PNG\r", &error));
  g_assert_error (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_INVALID_FILE);
}

static void
test_rows (void)
{
  static const struct
  {
    const char *line;
    const char *address;  /* NULL: malformed */
    const char *reason;
    gboolean    unlisted;
  } cases[] = {
    { "PER|a.b@x.example|DUPONT||false", "a.b@x.example", NULL, FALSE },
    { " ORG | c@x.example |  | Clinique |true\r", "c@x.example", NULL, TRUE },
    /* A trailing separator is tolerated. */
    { "PER|d@x.example|DUPONT||O|", "d@x.example", NULL, TRUE },
    { "PER|e@x.example|DUPONT|", NULL, "4 columns where the header has 5", FALSE },
    { "PER|e@x.example|DUPONT||||", NULL, "more columns than the 5 of the header", FALSE },
    { "PER|not an address|DUPONT||", NULL, "no valid mailbox address", FALSE },
    { "PER|a@b@c|DUPONT||", NULL, "no valid mailbox address", FALSE },
    { "XYZ|f@x.example|DUPONT||", NULL, "unknown mailbox type", FALSE },
    { "PER|g@x.example|\xc9TIENNE||", NULL, "not UTF-8 text", FALSE },
  };
  CachetDirectoryHeader header;
  g_autoptr(GError) error = NULL;

  g_assert_true (parse_header (&header, "Type de BAL|Adresse BAL|Nom d'exercice|"
                               "Raison Sociale structure BAL|Liste rouge", &error));
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *line = g_strdup (cases[i].line);
      g_autoptr(GError) row_error = NULL;
      CachetDirectoryRow row;
      gboolean ok = cachet_directory_row_parse (&header, line, strlen (line), &row, &row_error);

      if (cases[i].address != NULL)
        {
          g_assert_no_error (row_error);
          g_assert_true (ok);
          g_assert_cmpstr (row.fields[CACHET_DIRECTORY_FIELD_MAILBOX_ADDRESS], ==, cases[i].address);
          g_assert_cmpstr (row.fields[CACHET_DIRECTORY_FIELD_FIRST_NAME], ==, "");
          g_assert_cmpint (row.unlisted, ==, cases[i].unlisted);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (row_error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_INVALID_FILE);
          g_assert_cmpstr (row_error->message, ==, cases[i].reason);
        }
    }
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init (&argc, &argv);

  g_test_add_func ("/directory/parser/fold", test_fold);
  g_test_add_func ("/directory/parser/date-from-name", test_date_from_name);
  g_test_add_func ("/directory/parser/header-by-name", test_header_by_name);
  g_test_add_func ("/directory/parser/header-missing-column", test_header_missing_column);
  g_test_add_func ("/directory/parser/rows", test_rows);

  return g_test_run ();
}
