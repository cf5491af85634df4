/* cachet-lab-hprim-net.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cachet-labs-error.h"
#include "cachet-labs-parsers-private.h"
#include "cachet-labs-private.h"

/* HPRIM Net ("HPRIM Médecins"), the text Apicrypt delivers: a 12-line
 * header by convention only, the printable report, then optionally
 * `****LAB****` and one `RES|` line per result, `****FIN****` closing each
 * report and `****FINFICHIER****` the file. Positions drift in practice:
 * some labs add a routing line first, some stop the header early. */

#define HEADER_LINES        12
#define MAX_HEADER_OFFSET   2
#define BIRTH_DATE_LINE     6
#define FILE_DATE_LINE      9
#define RES_FIELDS          15

static gboolean
line_is (const char *line,
         const char *marker)
{
  g_autofree char *trimmed = cachet_labs_strdup_nonempty (line);

  return trimmed != NULL && g_str_equal (trimmed, marker);
}

static gboolean
is_blank (const char *line)
{
  for (; *line != '\0'; line++)
    {
      if (!g_ascii_isspace (*line))
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_record_line (const char *line)
{
  return g_str_has_prefix (line, "RES|") || g_str_has_prefix (line, "TEX|") || g_str_has_prefix (line, "****");
}

/* Where the 12 header lines start: the first offset at which the
 * date-of-birth line holds a date and the name line something else than a
 * record. -1 when the block has no header. */
static int
find_header (GPtrArray *lines,
             guint      start,
             guint      end)
{
  for (guint offset = 0; offset <= MAX_HEADER_OFFSET; offset++)
    {
      guint first = start + offset;
      g_autofree char *birth = NULL;
      g_autofree char *family = NULL;

      if (first + BIRTH_DATE_LINE >= end)
        break;
      family = cachet_labs_strdup_nonempty (g_ptr_array_index (lines, first + 1));
      if (family == NULL || is_record_line (family))
        continue;
      birth = cachet_labs_parse_date (g_ptr_array_index (lines, first + BIRTH_DATE_LINE));
      if (birth != NULL)
        return (int) offset;
    }
  return -1;
}

/**
 * cachet_labs_split_range:
 *
 * Labs put a whole range in the low field (`2.20-2.60`, `-2 - 2`); this
 * splits it, leaving proper fields alone.
 */
void
cachet_labs_split_range (const char  *low,
                         const char  *high,
                         char       **range_low,
                         char       **range_high)
{
  g_autofree char *trimmed = cachet_labs_strdup_nonempty (low);
  const char *dash = NULL;

  *range_low = NULL;
  *range_high = cachet_labs_strdup_nonempty (high);
  if (trimmed == NULL)
    return;
  if (*range_high == NULL)
    {
      /* A leading minus is a sign, not a separator. */
      for (const char *p = trimmed + 1; *p != '\0'; p++)
        {
          if (*p == '-' && (g_ascii_isdigit (p[-1]) || p[-1] == ' '))
            {
              dash = p;
              break;
            }
        }
    }
  if (dash == NULL)
    {
      *range_low = g_steal_pointer (&trimmed);
      return;
    }
  *range_low = cachet_labs_strndup_trimmed (trimmed, (gsize) (dash - trimmed));
  *range_high = cachet_labs_strdup_nonempty (dash + 1);
}

/* The same result in a second unit becomes a comment: `= 9.6 mg/l`. */
static void
append_other_unit (CachetLabResult *result,
                   const char      *value,
                   const char      *unit)
{
  g_autofree char *trimmed_value = cachet_labs_strdup_nonempty (value);
  g_autofree char *trimmed_unit = cachet_labs_strdup_nonempty (unit);
  g_autofree char *comment = NULL;

  if (trimmed_value == NULL)
    return;
  comment = trimmed_unit != NULL ? g_strdup_printf ("= %s %s", trimmed_value, trimmed_unit)
                                 : g_strdup_printf ("= %s", trimmed_value);
  cachet_lab_result_append_comment (result, comment);
}

static void
add_res_line (CachetLabReport *report,
              const char      *line)
{
  g_auto(GStrv) fields = cachet_labs_split (line, '|', RES_FIELDS);
  g_autofree char *label = cachet_labs_strdup_nonempty (cachet_labs_field (fields, 1));
  g_autofree char *low = NULL;
  g_autofree char *high = NULL;
  g_autoptr(CachetLabResult) result = NULL;
  g_autofree char *flag_code = cachet_labs_strdup_nonempty (cachet_labs_field (fields, 8));
  g_autofree char *status = cachet_labs_strdup_nonempty (cachet_labs_field (fields, 9));
  const char *value = cachet_labs_field (fields, 4);
  GListModel *results = cachet_lab_report_get_results (report);
  guint n_results = g_list_model_get_n_items (results);
  CachetLabFlag flag;

  /* "soit" lines give the previous result in another unit. */
  if (label != NULL && g_ascii_strcasecmp (label, "soit") == 0 && n_results > 0)
    {
      g_autoptr(CachetLabResult) previous = g_list_model_get_item (results, n_results - 1);

      append_other_unit (previous, value, cachet_labs_field (fields, 5));
      return;
    }

  result = cachet_lab_result_new (cachet_labs_field (fields, 2), label, value, cachet_labs_field (fields, 5));
  cachet_labs_split_range (cachet_labs_field (fields, 6), cachet_labs_field (fields, 7), &low, &high);
  cachet_lab_result_set_reference (result, low, high);
  flag = cachet_lab_flag_from_code (flag_code);
  /* `85*`: the asterisk is the lab's abnormal mark glued to the value. */
  if (flag == CACHET_LAB_FLAG_NONE && value != NULL && strchr (value, '*') != NULL)
    flag = CACHET_LAB_FLAG_ABNORMAL;
  cachet_lab_result_set_flag (result, flag);
  append_other_unit (result, cachet_labs_field (fields, 10), cachet_labs_field (fields, 11));
  if (status != NULL && g_str_equal (status, "P"))
    cachet_lab_report_set_status (report, CACHET_LAB_REPORT_STATUS_PARTIAL);
  cachet_lab_report_add_result (report, result);
}

static void
read_header (CachetLabReport *report,
             GPtrArray       *lines,
             guint            first,
             guint            end)
{
  CachetLabPatient *patient = cachet_lab_report_get_patient (report);
  const char *header[HEADER_LINES] = { NULL };
  g_autofree char *birth = NULL;
  g_autofree char *date = NULL;

  for (guint i = 0; i < HEADER_LINES && first + i < end; i++)
    header[i] = g_ptr_array_index (lines, first + i);

  cachet_lab_patient_set_family_name (patient, header[1]);
  cachet_lab_patient_set_given_names (patient, header[2]);
  birth = cachet_labs_parse_date (header[BIRTH_DATE_LINE]);
  cachet_lab_patient_set_birth_date (patient, birth);
  cachet_lab_patient_set_nir (patient, header[7]);
  cachet_lab_report_set_report_id (report, header[8]);
  date = cachet_labs_parse_date (header[FILE_DATE_LINE]);
  cachet_lab_report_set_report_date (report, date);
  /* Sender and receiver: a 10-character code, then the name. */
  for (guint i = 10; i <= 11; i++)
    {
      g_autofree char *code = NULL;
      g_autofree char *name = NULL;

      if (header[i] == NULL)
        break;
      code = cachet_labs_strndup_trimmed (header[i], MIN (strlen (header[i]), 10));
      name = strlen (header[i]) > 10 ? cachet_labs_strdup_nonempty (header[i] + 10) : NULL;
      if (i == 10)
        cachet_lab_report_set_lab (report, name != NULL ? name : code);
      else
        cachet_lab_report_set_prescriber (report, name != NULL ? name : code);
    }
}

static CachetLabReport *
parse_block (GBytes     *original,
             const char *charset,
             GPtrArray  *lines,
             guint       start,
             guint       end)
{
  g_autoptr(CachetLabReport) report = cachet_lab_report_new (CACHET_LAB_FORMAT_HPRIM_NET, original, charset);
  int offset = find_header (lines, start, end);
  guint body = start;
  gboolean has_content = FALSE;

  if (offset >= 0)
    {
      read_header (report, lines, start + (guint) offset, end);
      body = MIN (start + (guint) offset + HEADER_LINES, end);
      has_content = TRUE;
    }

  for (guint i = body; i < end; i++)
    {
      const char *line = g_ptr_array_index (lines, i);

      if (g_str_has_prefix (line, "RES|"))
        {
          add_res_line (report, line);
          has_content = TRUE;
        }
      else if (g_str_has_prefix (line, "TEX|"))
        cachet_lab_report_append_text (report, line + 4);
      else if (!line_is (line, "****LAB****"))
        {
          cachet_lab_report_append_text (report, line);
          has_content = has_content || !is_blank (line);
        }
    }

  return has_content && (offset >= 0 || g_list_model_get_n_items (cachet_lab_report_get_results (report)) > 0)
         ? g_steal_pointer (&report) : NULL;
}

/**
 * cachet_lab_hprim_net_sniff:
 *
 * Returns: whether @text looks like HPRIM Net: its markers, `RES|` lines,
 *   or a whole header, whose seventh and tenth lines are dates. Any letter
 *   may have a date on its seventh line; a file named `.hpr` is trusted with
 *   less (see cachet_lab_detect_format()).
 */
gboolean
cachet_lab_hprim_net_sniff (const char *text)
{
  g_autoptr(GPtrArray) lines = NULL;
  int offset;
  g_autofree char *file_date = NULL;

  if (strstr (text, "****LAB****") != NULL || strstr (text, "****FIN****") != NULL
      || g_str_has_prefix (text, "RES|") || strstr (text, "\nRES|") != NULL || strstr (text, "\rRES|") != NULL)
    return TRUE;
  lines = cachet_labs_split_lines (text, NULL);
  if (lines == NULL)
    return FALSE;
  offset = find_header (lines, 0, MIN (lines->len, HEADER_LINES + MAX_HEADER_OFFSET));
  if (offset < 0 || (guint) offset + FILE_DATE_LINE >= lines->len)
    return FALSE;
  file_date = cachet_labs_parse_date (g_ptr_array_index (lines, (guint) offset + FILE_DATE_LINE));
  return file_date != NULL;
}

GPtrArray *
cachet_lab_hprim_net_parse (GBytes      *original,
                            const char  *text,
                            const char  *charset,
                            GError     **error)
{
  g_autoptr(GPtrArray) lines = cachet_labs_split_lines (text, error);
  g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func (g_object_unref);
  guint start = 0;

  if (lines == NULL)
    return NULL;

  for (guint i = 0; i <= lines->len; i++)
    {
      gboolean end_of_file = i == lines->len || line_is (g_ptr_array_index (lines, i), "****FINFICHIER****");
      CachetLabReport *report;

      if (!end_of_file && !line_is (g_ptr_array_index (lines, i), "****FIN****"))
        continue;
      /* Blank lines between reports are not part of the next header. */
      while (start < i && is_blank (g_ptr_array_index (lines, start)))
        start++;
      if ((report = parse_block (original, charset, lines, start, i)) != NULL)
        {
          if (reports->len == CACHET_LABS_MAX_REPORTS)
            {
              g_object_unref (report);
              g_set_error (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_TOO_LARGE,
                           _("The file holds more than %d reports; it was not read"), CACHET_LABS_MAX_REPORTS);
              return NULL;
            }
          g_ptr_array_add (reports, report);
        }
      start = i + 1;
      if (end_of_file)
        break;
    }

  if (reports->len == 0)
    {
      g_set_error_literal (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_INVALID,
                           _("The HPRIM file has neither a patient header nor results"));
      return NULL;
    }
  return g_steal_pointer (&reports);
}
