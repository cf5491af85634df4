/* cachet-directory-types.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * CachetDirectoryMailboxType:
 * @CACHET_DIRECTORY_MAILBOX_PERSONAL: "PER", a professional's own mailbox.
 * @CACHET_DIRECTORY_MAILBOX_ORGANISATIONAL: "ORG", a structure's or a
 *   service's mailbox.
 * @CACHET_DIRECTORY_MAILBOX_APPLICATION: "APP", a mailbox used by software.
 * @CACHET_DIRECTORY_MAILBOX_PRACTICE: "CAB", a practice's mailbox.
 *
 * The types of MSSanté mailbox (TRE_R257-TypeBAL).
 */
typedef enum
{
  CACHET_DIRECTORY_MAILBOX_PERSONAL,
  CACHET_DIRECTORY_MAILBOX_ORGANISATIONAL,
  CACHET_DIRECTORY_MAILBOX_APPLICATION,
  CACHET_DIRECTORY_MAILBOX_PRACTICE,
} CachetDirectoryMailboxType;

const char *cachet_directory_mailbox_type_to_code   (CachetDirectoryMailboxType  type);
gboolean    cachet_directory_mailbox_type_from_code (const char                 *code,
                                                     CachetDirectoryMailboxType *type);

#define CACHET_TYPE_DIRECTORY_QUERY (cachet_directory_query_get_type ())

/**
 * CachetDirectoryQuery:
 * @text: (nullable): what the user typed, e.g. "martin cardio lyon": every
 *   word must start a word of the name, profession, specialty, organisation,
 *   place or address of an entry; case and accents do not matter.
 * @profession: (nullable): only entries of this profession (its label, case
 *   and accents ignored).
 * @specialty: (nullable): only entries with this specialty (likewise).
 * @place: (nullable): only entries with a mailbox in this department (code),
 *   city or postcode.
 * @mailbox_type: only entries with a mailbox of this type, when
 *   @has_mailbox_type.
 * @has_mailbox_type: whether @mailbox_type filters.
 * @limit: how many entries to return at most.
 *
 * A directory search. At least @text or one filter must be set.
 */
typedef struct
{
  char                       *text;
  char                       *profession;
  char                       *specialty;
  char                       *place;
  CachetDirectoryMailboxType  mailbox_type;
  gboolean                    has_mailbox_type;
  guint                       limit;
} CachetDirectoryQuery;

GType                 cachet_directory_query_get_type (void) G_GNUC_CONST;
CachetDirectoryQuery *cachet_directory_query_new      (const char                 *text,
                                                       guint                       limit);
CachetDirectoryQuery *cachet_directory_query_copy     (const CachetDirectoryQuery *query);
void                  cachet_directory_query_free     (CachetDirectoryQuery       *query);

#define CACHET_TYPE_DIRECTORY_IMPORT_REPORT (cachet_directory_import_report_get_type ())

/**
 * CachetDirectoryMalformedLine:
 * @line: the line number, from 1 (the header).
 * @reason: what is wrong with it, translated.
 */
typedef struct
{
  guint64  line;
  char    *reason;
} CachetDirectoryMalformedLine;

/**
 * CachetDirectoryImportReport:
 * @entries: professionals and organisations in the new directory.
 * @mailboxes: mailboxes in it.
 * @unlisted: rows left out because they are not to be published.
 * @duplicates: rows left out because their mailbox was already imported.
 * @malformed: rows left out because they could not be read.
 * @malformed_lines: (element-type CachetDirectoryMalformedLine): the first
 *   of them (at most %CACHET_DIRECTORY_MAX_REPORTED_LINES), with line numbers.
 * @extract_date: (nullable): when the extract was made, as
 *   cachet_directory_date_from_name() gives it.
 *
 * What an import did.
 */
typedef struct
{
  guint64  entries;
  guint64  mailboxes;
  guint64  unlisted;
  guint64  duplicates;
  guint64  malformed;
  GArray  *malformed_lines;
  char    *extract_date;
} CachetDirectoryImportReport;

#define CACHET_DIRECTORY_MAX_REPORTED_LINES 100

GType                        cachet_directory_import_report_get_type (void) G_GNUC_CONST;
CachetDirectoryImportReport *cachet_directory_import_report_new      (void);
CachetDirectoryImportReport *cachet_directory_import_report_copy     (const CachetDirectoryImportReport *report);
void                         cachet_directory_import_report_free     (CachetDirectoryImportReport       *report);

#define CACHET_TYPE_DIRECTORY_INFO (cachet_directory_info_get_type ())

/**
 * CachetDirectoryInfo:
 * @path: the database file.
 * @size: its size in bytes.
 * @entries: professionals and organisations in it.
 * @mailboxes: mailboxes in it.
 * @extract_date: (nullable): when the extract was made, if its name said.
 * @source_name: the name of the file it was imported from.
 * @imported_at: when it was imported, ISO 8601 in UTC.
 *
 * The state of the imported directory.
 */
typedef struct
{
  char    *path;
  guint64  size;
  guint64  entries;
  guint64  mailboxes;
  char    *extract_date;
  char    *source_name;
  char    *imported_at;
} CachetDirectoryInfo;

GType                cachet_directory_info_get_type (void) G_GNUC_CONST;
CachetDirectoryInfo *cachet_directory_info_copy     (const CachetDirectoryInfo *info);
void                 cachet_directory_info_free     (CachetDirectoryInfo       *info);

/**
 * CachetDirectoryProgressFunc:
 * @fraction: how much of the file has been read, from 0 to 1
 * @user_data: the data given with the function
 *
 * Called on the main context of the caller of the import as it goes.
 */
typedef void (*CachetDirectoryProgressFunc) (double   fraction,
                                             gpointer user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachetDirectoryQuery, cachet_directory_query_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachetDirectoryImportReport, cachet_directory_import_report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachetDirectoryInfo, cachet_directory_info_free)

G_END_DECLS
