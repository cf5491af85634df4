/* cachet-directory-parser.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The line parser of the Extraction_Correspondance_MSSante file: a header of
 * column names, then one `|`-separated row per mailbox. Columns are found by
 * name, never by position, because the publisher has reordered and renamed
 * them before. Pure functions on one line, so that they can be fuzzed. */

/**
 * CachetDirectoryField:
 *
 * The columns Cachet reads, in no particular order. The header names are in
 * cachet-directory-parser.c; %CACHET_DIRECTORY_FIELD_UNLISTED is a
 * "Liste rouge" column that the current extract does not carry (it only
 * publishes listed mailboxes) but that would mark rows to leave out.
 */
typedef enum
{
  CACHET_DIRECTORY_FIELD_MAILBOX_TYPE,
  CACHET_DIRECTORY_FIELD_MAILBOX_ADDRESS,
  CACHET_DIRECTORY_FIELD_PERSON_ID_TYPE,
  CACHET_DIRECTORY_FIELD_PERSON_ID,
  CACHET_DIRECTORY_FIELD_NATIONAL_ID,
  CACHET_DIRECTORY_FIELD_STRUCTURE_ID_TYPE,
  CACHET_DIRECTORY_FIELD_STRUCTURE_ID,
  CACHET_DIRECTORY_FIELD_SERVICE,
  CACHET_DIRECTORY_FIELD_CIVILITY,
  CACHET_DIRECTORY_FIELD_LAST_NAME,
  CACHET_DIRECTORY_FIELD_FIRST_NAME,
  CACHET_DIRECTORY_FIELD_CATEGORY_CODE,
  CACHET_DIRECTORY_FIELD_CATEGORY,
  CACHET_DIRECTORY_FIELD_PROFESSION_CODE,
  CACHET_DIRECTORY_FIELD_PROFESSION,
  CACHET_DIRECTORY_FIELD_SPECIALTY_CODE,
  CACHET_DIRECTORY_FIELD_SPECIALTY,
  CACHET_DIRECTORY_FIELD_DIGITIZATION,
  CACHET_DIRECTORY_FIELD_ORGANISATION,
  CACHET_DIRECTORY_FIELD_TRADE_NAME,
  CACHET_DIRECTORY_FIELD_LOCATION,
  CACHET_DIRECTORY_FIELD_DISTRIBUTION,
  CACHET_DIRECTORY_FIELD_STREET_NUMBER,
  CACHET_DIRECTORY_FIELD_STREET_NUMBER_SUFFIX,
  CACHET_DIRECTORY_FIELD_STREET_TYPE,
  CACHET_DIRECTORY_FIELD_STREET_NAME,
  CACHET_DIRECTORY_FIELD_LOCALITY,
  CACHET_DIRECTORY_FIELD_DELIVERY_LINE,
  CACHET_DIRECTORY_FIELD_POSTCODE,
  CACHET_DIRECTORY_FIELD_DEPARTMENT,
  CACHET_DIRECTORY_FIELD_COUNTRY,
  CACHET_DIRECTORY_FIELD_UNLISTED,
  CACHET_DIRECTORY_N_FIELDS
} CachetDirectoryField;

/* Bounds on untrusted input: the real extract has 31 columns and lines of a
 * few hundred bytes. */
#define CACHET_DIRECTORY_MAX_COLUMNS    256
#define CACHET_DIRECTORY_MAX_LINE_BYTES (64 * 1024)

/**
 * CachetDirectoryHeader:
 * @column: for each #CachetDirectoryField, its column index, or -1 when the
 *   file has no such column.
 * @n_columns: how many columns the header has.
 */
typedef struct
{
  int   column[CACHET_DIRECTORY_N_FIELDS];
  guint n_columns;
} CachetDirectoryHeader;

/**
 * CachetDirectoryRow:
 * @fields: for each #CachetDirectoryField, its value (never %NULL: "" for an
 *   absent column), pointing into the line given to
 *   cachet_directory_row_parse().
 * @unlisted: whether the row is marked as not to be published.
 */
typedef struct
{
  const char *fields[CACHET_DIRECTORY_N_FIELDS];
  gboolean    unlisted;
} CachetDirectoryRow;

gboolean  cachet_directory_header_parse   (CachetDirectoryHeader        *header,
                                           char                         *line,
                                           gsize                         length,
                                           GError                      **error);
gboolean  cachet_directory_row_parse      (const CachetDirectoryHeader  *header,
                                           char                         *line,
                                           gsize                         length,
                                           CachetDirectoryRow           *row,
                                           GError                      **error);
char     *cachet_directory_fold           (const char                   *text);
char     *cachet_directory_date_from_name (const char                   *file_name);

G_END_DECLS
