/* cachet-lab-hprim-sante.c
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

/* HPRIM Santé 2.x record files: `H`, then per patient `P`, `OBR`, `OBX`,
 * `C` comments, `L` trailer. The five characters after `H` give the
 * delimiters by position (field, component, repetition, escape,
 * sub-component), which is not HL7's order; records longer than 220
 * characters continue on `A|` lines. Field numbers below count the record
 * type as field 1, as the HPRIM specification does, so field n is at index
 * n - 1. */

#define MAX_FIELDS 64

typedef struct
{
  char field;
  char component;
} Delimiters;

static char *
component (const char       *field,
           const Delimiters *delimiters,
           guint             index)
{
  g_auto(GStrv) parts = cachet_labs_split (field, delimiters->component, index + 2);

  return cachet_labs_strdup_nonempty (cachet_labs_field (parts, index));
}

/* Joins `A|` continuation lines to the record they continue. */
static GPtrArray *
join_records (GPtrArray  *lines,
              char        separator)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);

      if (line[0] == 'A' && line[1] == separator && records->len > 0)
        {
          char *previous = g_ptr_array_index (records, records->len - 1);

          g_ptr_array_index (records, records->len - 1) = g_strconcat (previous, line + 2, NULL);
          g_free (previous);
        }
      else if (*line != '\0')
        g_ptr_array_add (records, g_strdup (line));
    }
  return g_steal_pointer (&records);
}

static void
read_patient (CachetLabReport  *report,
              char            **fields,
              const Delimiters *delimiters)
{
  CachetLabPatient *patient = cachet_lab_report_get_patient (report);
  const char *name = cachet_labs_field (fields, 5);
  const char *sex = cachet_labs_field (fields, 8);
  g_autofree char *family = component (name, delimiters, 0);
  g_autofree char *given = component (name, delimiters, 1);
  g_autofree char *birth = cachet_labs_parse_date (cachet_labs_field (fields, 7));

  cachet_lab_patient_set_family_name (patient, family);
  cachet_lab_patient_set_given_names (patient, given);
  cachet_lab_patient_set_birth_date (patient, birth);
  if (sex != NULL)
    cachet_lab_patient_set_sex (patient, sex[0]);
}

static void
read_request (CachetLabReport  *report,
              char            **fields,
              const Delimiters *delimiters)
{
  g_autofree char *request = component (cachet_labs_field (fields, 2), delimiters, 0);
  g_autofree char *sampling = cachet_labs_parse_date (cachet_labs_field (fields, 7));
  g_autofree char *prescriber = component (cachet_labs_field (fields, 16), delimiters, 1);
  g_autofree char *reported = cachet_labs_parse_date (cachet_labs_field (fields, 22));
  const char *status = cachet_labs_field (fields, 25);

  /* A missing test-code field shifts every later field one place left. */
  if (sampling == NULL)
    sampling = cachet_labs_parse_date (cachet_labs_field (fields, 6));
  if (cachet_lab_report_get_report_id (report) == NULL)
    cachet_lab_report_set_report_id (report, request);
  if (cachet_lab_report_get_sampling_date (report) == NULL)
    cachet_lab_report_set_sampling_date (report, sampling);
  if (cachet_lab_report_get_prescriber (report) == NULL)
    cachet_lab_report_set_prescriber (report, prescriber);
  if (reported != NULL)
    cachet_lab_report_set_report_date (report, reported);
  if (status != NULL && (status[0] == 'C' || status[0] == 'M'))
    cachet_lab_report_set_status (report, CACHET_LAB_REPORT_STATUS_REPLACEMENT);
  else if (status != NULL && (status[0] == 'P' || status[0] == 'I'))
    cachet_lab_report_set_status (report, CACHET_LAB_REPORT_STATUS_PARTIAL);
}

static CachetLabResult *
read_result (CachetLabReport  *report,
             char            **fields,
             const Delimiters *delimiters)
{
  const char *type = cachet_labs_field (fields, 2);
  const char *test = cachet_labs_field (fields, 3);
  g_autofree char *code = component (test, delimiters, 0);
  g_autofree char *label = component (test, delimiters, 1);
  g_autofree char *low = NULL;
  g_autofree char *high = NULL;
  g_autofree char *flag = component (cachet_labs_field (fields, 8), delimiters, 0);
  g_autofree char *value = NULL;
  CachetLabResult *result;

  /* A FIC result names a file (the PDF) sent alongside, not a value. */
  if (type != NULL && g_str_equal (type, "FIC"))
    {
      g_autofree char *file = component (cachet_labs_field (fields, 5), delimiters, 1);

      if (file != NULL)
        cachet_lab_report_append_text (report, file);
      return NULL;
    }
  value = type != NULL && g_str_equal (type, "CE")
          ? component (cachet_labs_field (fields, 5), delimiters, 1)
          : cachet_labs_strdup_nonempty (cachet_labs_field (fields, 5));
  result = cachet_lab_result_new (code, label, value, cachet_labs_field (fields, 6));
  cachet_labs_split_range (cachet_labs_field (fields, 7), NULL, &low, &high);
  cachet_lab_result_set_reference (result, low, high);
  cachet_lab_result_set_flag (result, cachet_lab_flag_from_code (flag));
  cachet_lab_report_add_result (report, result);
  return result;
}

GPtrArray *
cachet_lab_hprim_sante_parse (GBytes      *original,
                              const char  *text,
                              const char  *charset,
                              GError     **error)
{
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *lab = NULL;
  Delimiters delimiters;
  CachetLabReport *report = NULL;
  CachetLabResult *last_result = NULL;
  const char *header;

  if ((lines = cachet_labs_split_lines (text, error)) == NULL)
    return NULL;
  header = lines->len > 0 ? g_ptr_array_index (lines, 0) : "";
  if (header[0] != 'H' || strlen (header) < 6)
    {
      g_set_error_literal (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_INVALID,
                           _("The HPRIM Santé file does not start with its H record"));
      return NULL;
    }
  delimiters.field = header[1];
  delimiters.component = header[2];
  records = join_records (lines, delimiters.field);

  for (guint i = 0; i < records->len; i++)
    {
      g_auto(GStrv) fields = cachet_labs_split (g_ptr_array_index (records, i), delimiters.field, MAX_FIELDS);
      const char *type = fields[0] != NULL ? fields[0] : "";

      if (g_str_equal (type, "H"))
        {
          g_free (lab);
          lab = component (cachet_labs_field (fields, 4), &delimiters, 1);
          if (lab == NULL)
            lab = component (cachet_labs_field (fields, 4), &delimiters, 0);
        }
      else if (g_str_equal (type, "P"))
        {
          if (reports->len == CACHET_LABS_MAX_REPORTS)
            {
              g_set_error (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_TOO_LARGE,
                           _("The file holds more than %d reports; it was not read"), CACHET_LABS_MAX_REPORTS);
              return NULL;
            }
          report = cachet_lab_report_new (CACHET_LAB_FORMAT_HPRIM_SANTE, original, charset);
          cachet_lab_report_set_lab (report, lab);
          read_patient (report, fields, &delimiters);
          g_ptr_array_add (reports, report);
          last_result = NULL;
        }
      else if (report != NULL && g_str_equal (type, "OBR"))
        read_request (report, fields, &delimiters);
      else if (report != NULL && g_str_equal (type, "OBX"))
        last_result = read_result (report, fields, &delimiters);
      else if (report != NULL && g_str_equal (type, "C"))
        {
          const char *comment = cachet_labs_field (fields, 3);

          if (last_result != NULL)
            cachet_lab_result_append_comment (last_result, comment);
          else if (comment != NULL)
            cachet_lab_report_append_text (report, comment);
        }
      else if (g_str_equal (type, "L"))
        break;
    }

  if (reports->len == 0)
    {
      g_set_error_literal (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_INVALID,
                           _("The HPRIM Santé file names no patient"));
      return NULL;
    }
  return g_steal_pointer (&reports);
}
