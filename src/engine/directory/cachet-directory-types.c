/* cachet-directory-types.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-directory-types.h"

static const char *mailbox_type_codes[] = { "PER", "ORG", "APP", "CAB" };

G_STATIC_ASSERT (G_N_ELEMENTS (mailbox_type_codes) == CACHET_DIRECTORY_MAILBOX_PRACTICE + 1);

/**
 * cachet_directory_mailbox_type_to_code:
 *
 * Returns: (transfer none): the code of @type in the extract, e.g. "PER"
 */
const char *
cachet_directory_mailbox_type_to_code (CachetDirectoryMailboxType type)
{
  g_return_val_if_fail (type <= CACHET_DIRECTORY_MAILBOX_PRACTICE, NULL);

  return mailbox_type_codes[type];
}

/**
 * cachet_directory_mailbox_type_from_code:
 * @code: a code such as "PER" or "org"
 * @type: (out): the type
 *
 * Returns: %TRUE when @code is one of the four codes (in any case)
 */
gboolean
cachet_directory_mailbox_type_from_code (const char                 *code,
                                         CachetDirectoryMailboxType *type)
{
  for (gsize i = 0; i < G_N_ELEMENTS (mailbox_type_codes); i++)
    {
      if (g_ascii_strcasecmp (code, mailbox_type_codes[i]) == 0)
        {
          *type = (CachetDirectoryMailboxType) i;
          return TRUE;
        }
    }
  return FALSE;
}

G_DEFINE_BOXED_TYPE (CachetDirectoryQuery, cachet_directory_query,
                     cachet_directory_query_copy, cachet_directory_query_free)

/**
 * cachet_directory_query_new:
 * @text: (nullable): what the user typed
 * @limit: how many entries to return at most
 *
 * Returns: (transfer full): a query without filters
 */
CachetDirectoryQuery *
cachet_directory_query_new (const char *text,
                            guint       limit)
{
  CachetDirectoryQuery *query = g_new0 (CachetDirectoryQuery, 1);

  query->text = g_strdup (text);
  query->limit = limit;
  return query;
}

CachetDirectoryQuery *
cachet_directory_query_copy (const CachetDirectoryQuery *query)
{
  CachetDirectoryQuery *copy = g_memdup2 (query, sizeof *query);

  copy->text = g_strdup (query->text);
  copy->profession = g_strdup (query->profession);
  copy->specialty = g_strdup (query->specialty);
  copy->place = g_strdup (query->place);
  return copy;
}

void
cachet_directory_query_free (CachetDirectoryQuery *query)
{
  if (query == NULL)
    return;
  g_free (query->text);
  g_free (query->profession);
  g_free (query->specialty);
  g_free (query->place);
  g_free (query);
}

G_DEFINE_BOXED_TYPE (CachetDirectoryImportReport, cachet_directory_import_report,
                     cachet_directory_import_report_copy, cachet_directory_import_report_free)

static void
clear_malformed_line (gpointer data)
{
  CachetDirectoryMalformedLine *line = data;

  g_free (line->reason);
}

CachetDirectoryImportReport *
cachet_directory_import_report_new (void)
{
  CachetDirectoryImportReport *report = g_new0 (CachetDirectoryImportReport, 1);

  report->malformed_lines = g_array_new (FALSE, TRUE, sizeof (CachetDirectoryMalformedLine));
  g_array_set_clear_func (report->malformed_lines, clear_malformed_line);
  return report;
}

CachetDirectoryImportReport *
cachet_directory_import_report_copy (const CachetDirectoryImportReport *report)
{
  CachetDirectoryImportReport *copy = cachet_directory_import_report_new ();

  copy->entries = report->entries;
  copy->mailboxes = report->mailboxes;
  copy->unlisted = report->unlisted;
  copy->duplicates = report->duplicates;
  copy->malformed = report->malformed;
  copy->extract_date = g_strdup (report->extract_date);
  for (guint i = 0; i < report->malformed_lines->len; i++)
    {
      const CachetDirectoryMalformedLine *line =
        &g_array_index (report->malformed_lines, CachetDirectoryMalformedLine, i);
      CachetDirectoryMalformedLine line_copy = { line->line, g_strdup (line->reason) };

      g_array_append_val (copy->malformed_lines, line_copy);
    }
  return copy;
}

void
cachet_directory_import_report_free (CachetDirectoryImportReport *report)
{
  if (report == NULL)
    return;
  g_array_unref (report->malformed_lines);
  g_free (report->extract_date);
  g_free (report);
}

G_DEFINE_BOXED_TYPE (CachetDirectoryInfo, cachet_directory_info,
                     cachet_directory_info_copy, cachet_directory_info_free)

CachetDirectoryInfo *
cachet_directory_info_copy (const CachetDirectoryInfo *info)
{
  CachetDirectoryInfo *copy = g_memdup2 (info, sizeof *info);

  copy->path = g_strdup (info->path);
  copy->extract_date = g_strdup (info->extract_date);
  copy->source_name = g_strdup (info->source_name);
  copy->imported_at = g_strdup (info->imported_at);
  return copy;
}

void
cachet_directory_info_free (CachetDirectoryInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->path);
  g_free (info->extract_date);
  g_free (info->source_name);
  g_free (info->imported_at);
  g_free (info);
}
